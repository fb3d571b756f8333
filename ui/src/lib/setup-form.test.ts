import { describe, expect, it } from 'vitest';
import type { SetupStatus } from './api';
import { clearProblem, problemsByField } from './field';
import {
  firstStepWithProblem,
  MODELS,
  nextStep,
  previousStep,
  problemCounts,
  secretState,
  STEPS,
  toForm,
  toRequest,
} from './setup-form';

function status(values: Partial<SetupStatus['values']> = {}): SetupStatus {
  return {
    done: false,
    skipped: false,
    steps: { shop: false, ai: false, phone: false, fallback_phone: false, tunnel: false },
    values: {
      shop_name: 'Melt 8 Pizza',
      chef_username: 'chef',
      openai_model: '',
      twilio_account_sid: null,
      twilio_phone_number: null,
      shop_phone: null,
      ngrok_domain: null,
      openai_api_key_set: false,
      twilio_auth_token_set: false,
      ngrok_authtoken_set: false,
      ...values,
    },
  };
}

describe('setup form', () => {
  it('starts from the configured values, with every secret empty and a model chosen', () => {
    const form = toForm(status({ shop_phone: '+923001234567', openai_api_key_set: true }));
    expect(form.shop_name).toBe('Melt 8 Pizza');
    expect(form.shop_phone).toBe('+923001234567');
    expect(form.openai_api_key).toBe('');
    expect(form.chef_password).toBe('');
    expect(form.openai_model).toBe(MODELS[0]);
    expect(toForm(status({ openai_model: 'gpt-realtime-2.1-mini' })).openai_model).toBe('gpt-realtime-2.1-mini');
  });

  it('sends every answer trimmed, but the password exactly as typed', () => {
    const form = { ...toForm(status()), shop_name: '  Melt 8 DHA ', chef_password: ' spaced pw ', openai_api_key: ' sk-x\n' };
    const req = toRequest(form);
    expect(req.shop_name).toBe('Melt 8 DHA');
    expect(req.chef_password).toBe(' spaced pw ');
    expect(req.openai_api_key).toBe('sk-x');
    expect(Object.keys(req).sort()).toEqual(Object.keys(form).sort());
  });

  it('walks the steps in order and stops at both ends', () => {
    expect(STEPS).toEqual(['shop', 'password', 'ai', 'phone', 'tunnel', 'review']);
    expect(nextStep('shop')).toBe('password');
    expect(nextStep('review')).toBe('review');
    expect(previousStep('shop')).toBe('shop');
    expect(previousStep('tunnel')).toBe('phone');
  });

  it('puts each server error beside its field and goes back to the first step with one', () => {
    const phone = { field: 'shop_phone', message: 'That is not a phone number we can dial.', code: 'phone_invalid', params: {} };
    const key = { field: 'openai_api_key', message: 'It should start with sk-.', code: 'openai_key_format', params: {} };
    const problems = problemsByField([
      phone,
      key,
      { field: 'shop_phone', message: 'a second problem for the same field is dropped', code: null, params: {} },
    ]);
    expect(problems).toEqual({ shop_phone: phone, openai_api_key: key });
    expect(firstStepWithProblem(problems)).toBe('ai');
    expect(problemCounts(problems)).toMatchObject({ ai: 1, phone: 1, shop: 0, review: 0 });
    expect(problemCounts({ toString: 1, body: 2 })).toMatchObject({ shop: 0, ai: 0, phone: 0, review: 0 });
    expect(firstStepWithProblem({})).toBeNull();
    const fixed = clearProblem(problems, 'openai_api_key');
    expect(firstStepWithProblem(fixed)).toBe('phone');
    expect(clearProblem(fixed, 'nothing')).toBe(fixed);
  });

  it('shows a secret on the review step only as new, kept or missing', () => {
    expect(secretState('sk-new', false)).toBe('new');
    expect(secretState('  ', true)).toBe('kept');
    expect(secretState('', false)).toBe('missing');
  });
});
