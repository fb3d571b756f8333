// This screen's preferences, kept in localStorage: the language and whether the alert sound
// is muted. The language also sets `<html lang dir>`, so Urdu lays out right to left.

import { direction, MESSAGES, type Lang, type Messages } from './i18n';

const LANG_KEY = 'melt8.lang';
const MUTED_KEY = 'melt8.muted';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or storage full: the choice lasts until the page reloads.
  }
}

class Prefs {
  lang = $state<Lang>(read(LANG_KEY) === 'ur' ? 'ur' : 'en');
  muted = $state<boolean>(read(MUTED_KEY) === 'true');

  /** The dictionary of the current language. */
  get t(): Messages {
    return MESSAGES[this.lang];
  }

  get dir(): 'ltr' | 'rtl' {
    return direction(this.lang);
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    write(LANG_KEY, lang);
    applyToDocument(lang);
  }

  toggleLang(): void {
    this.setLang(this.lang === 'en' ? 'ur' : 'en');
  }

  toggleMuted(): void {
    this.muted = !this.muted;
    write(MUTED_KEY, String(this.muted));
  }
}

function applyToDocument(lang: Lang): void {
  const html = document.documentElement;
  html.lang = lang;
  html.dir = direction(lang);
}

export const prefs = new Prefs();
applyToDocument(prefs.lang);
