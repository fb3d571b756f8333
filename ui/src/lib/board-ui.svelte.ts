// What the board's header buttons open (the recall tray, the key list), and the room the
// undo bar takes at the bottom (the columns end above it, so it covers no button).

class BoardUi {
  trayOpen = $state(false);
  keysOpen = $state(false);
  /** The undo bar's height plus its gap to the bottom, px (0 when it is not showing). */
  undoRoom = $state(0);
  /** Set by the board while shown: focuses its first ticket (the skip link); false when it could not. */
  focusBoard: (() => boolean) | null = null;

  toggleTray(): void {
    this.trayOpen = !this.trayOpen;
    if (this.trayOpen) this.keysOpen = false;
  }

  toggleKeys(): void {
    this.keysOpen = !this.keysOpen;
    if (this.keysOpen) this.trayOpen = false;
  }

  /** Closes whatever is open; false when nothing was. */
  close(): boolean {
    const was = this.trayOpen || this.keysOpen;
    this.trayOpen = false;
    this.keysOpen = false;
    return was;
  }
}

export const boardUi = new BoardUi();
