// The first-run setup wizard's form: its steps, what each step asks, the request sent to
// `POST /api/setup`, and where the server's field errors belong.

import type { SetupRequest, SetupStatus } from './api';

export const STEPS = ['shop', 'password', 'ai', 'phone', 'tunnel', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** The Realtime models the owner can choose from (the server accepts any model name). */
export const MODELS = ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'] as const;

export type SetupForm = { [K in keyof SetupRequest]: string };

/** Which step asks for each answer. */
export const FIELD_STEP: Record<keyof SetupForm, Step> = {
  shop_name: 'shop',
  chef_password: 'password',
  openai_api_key: 'ai',
  openai_model: 'ai',
  twilio_account_sid: 'phone',
  twilio_auth_token: 'phone',
  twilio_phone_number: 'phone',
  shop_phone: 'phone',
  ngrok_authtoken: 'tunnel',
  ngrok_domain: 'tunnel',
};

/** Answers that are secrets: never shown back, and left empty to keep the stored one. */
export const SECRET_FIELDS = ['chef_password', 'openai_api_key', 'twilio_auth_token', 'ngrok_authtoken'] as const;

/** The form filled with what is configured now (secrets empty: the server keeps them). */
export function toForm(s: SetupStatus): SetupForm {
  const v = s.values;
  return {
    shop_name: v.shop_name,
    chef_password: '',
    openai_api_key: '',
    openai_model: v.openai_model || MODELS[0],
    twilio_account_sid: v.twilio_account_sid ?? '',
    twilio_auth_token: '',
    twilio_phone_number: v.twilio_phone_number ?? '',
    shop_phone: v.shop_phone ?? '',
    ngrok_authtoken: '',
    ngrok_domain: v.ngrok_domain ?? '',
  };
}

/** The request body: every answer, trimmed (the password as typed). */
export function toRequest(form: SetupForm): SetupRequest {
  const out = {} as SetupRequest;
  for (const key of Object.keys(FIELD_STEP) as (keyof SetupForm)[]) {
    out[key] = key === 'chef_password' ? form[key] : form[key].trim();
  }
  return out;
}

export function stepIndex(step: Step): number {
  return STEPS.indexOf(step);
}

export function nextStep(step: Step): Step {
  return STEPS[Math.min(stepIndex(step) + 1, STEPS.length - 1)]!;
}

export function previousStep(step: Step): Step {
  return STEPS[Math.max(stepIndex(step) - 1, 0)]!;
}

/** The first step (in wizard order) with a problem, to go back to after a refused save. */
export function firstStepWithProblem(problems: Readonly<Record<string, unknown>>): Step | null {
  for (const step of STEPS) {
    for (const [field, s] of Object.entries(FIELD_STEP)) {
      if (s === step && Object.hasOwn(problems, field)) return step;
    }
  }
  return null;
}

/** How many problems each step has, for the step list. */
export function problemCounts(problems: Readonly<Record<string, unknown>>): Record<Step, number> {
  const out = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  for (const field of Object.keys(problems)) {
    if (Object.hasOwn(FIELD_STEP, field)) out[FIELD_STEP[field as keyof SetupForm]] += 1;
  }
  return out;
}

/** For the review step: a secret as "new", "kept" or "missing", never its value. */
export function secretState(typed: string, alreadySet: boolean): 'new' | 'kept' | 'missing' {
  if (typed.trim() !== '') return 'new';
  return alreadySet ? 'kept' : 'missing';
}
