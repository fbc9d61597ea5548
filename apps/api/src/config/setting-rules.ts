/**
 * What each setting must look like, as start-up says it when one does not.
 * Never the value itself: it may be a key or a secret.
 */
const SETTING_RULES: Record<string, string> = {
  PORT: 'PORT must be a whole number from 0 to 65535',
  DECK_API_URL: 'DECK_API_URL must be an http:// or https:// URL, such as http://127.0.0.1:4010/v2',
  DECK_API_KEY: 'DECK_API_KEY must start with sk_live_ or sk_test_, then 8 to 200 letters, digits, _ or -',
  DECK_WEBHOOK_SECRET: 'DECK_WEBHOOK_SECRET must be whsec_ followed by a base64 key of 32 to 88 characters',
  DECK_WEBHOOK_SECRET_PREVIOUS:
    'DECK_WEBHOOK_SECRET_PREVIOUS must be whsec_ followed by a base64 key of 32 to 88 characters',
  DECK_SANDBOX: 'DECK_SANDBOX must be auto, true or false',
  PUBLIC_URL: 'PUBLIC_URL must be an http:// or https:// URL, such as https://deckhand.example.com',
  ADMIN_EMAIL: 'ADMIN_EMAIL must be an e-mail address',
  ADMIN_PASSWORD: 'ADMIN_PASSWORD must be at least 8 characters long',
  CATCH_UP_INTERVAL_MS: 'CATCH_UP_INTERVAL_MS must be a whole number of milliseconds above 0',
  CATCH_UP_OVERLAP_MS: 'CATCH_UP_OVERLAP_MS must be a whole number of milliseconds, 0 or more',
  RECONCILE_INTERVAL_MS: 'RECONCILE_INTERVAL_MS must be a whole number of milliseconds above 0',
  DESTINATION_CHECK_INTERVAL_MS: 'DESTINATION_CHECK_INTERVAL_MS must be a whole number of milliseconds above 0',
  LINK_TTL_MINUTES: 'LINK_TTL_MINUTES must be a whole number of minutes from 1 to 1440',
  LOG_LEVEL: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  LOG_FORMAT: 'LOG_FORMAT must be auto, pretty or json',
};

/** One line for one bad setting: its rule, else the validator's own sentence (which names the setting, not the value). */
export function settingProblem(setting: string, constraints: Record<string, string> | undefined): string {
  return SETTING_RULES[setting] ?? Object.values(constraints ?? {})[0] ?? `${setting} is not valid`;
}

/** What start-up prints, on its own, when the configuration will not do. */
export function configurationReport(problems: string[]): string {
  return `Invalid api configuration:\n${problems.map((line) => `  ${line}\n`).join('')}`;
}
