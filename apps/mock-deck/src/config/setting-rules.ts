/**
 * What each sandbox setting must look like, as start-up says it when one does
 * not. Never the value itself: a key or a secret may have been put in the
 * wrong variable.
 */
const SETTING_RULES: Record<string, string> = {
  MOCK_DECK_PORT: 'MOCK_DECK_PORT must be a whole number from 0 to 65535',
  MOCK_DECK_HOST: 'MOCK_DECK_HOST must be a host name or address to listen on, such as 127.0.0.1',
  MOCK_DECK_DATABASE: 'MOCK_DECK_DATABASE must be a file path, or :memory:',
  MOCK_DECK_RATE_LIMIT: 'MOCK_DECK_RATE_LIMIT must be a whole number of requests, 0 (no limit) or more',
  MOCK_DECK_RATE_WINDOW_MS: 'MOCK_DECK_RATE_WINDOW_MS must be a whole number of milliseconds above 0',
  MOCK_DECK_TIME_SCALE:
    'MOCK_DECK_TIME_SCALE must be a number above 0 and at most 1000000 (sandbox seconds per second)',
  MOCK_DECK_STEP_MS: 'MOCK_DECK_STEP_MS must be a whole number of milliseconds, 0 or more',
  MOCK_DECK_INTERACTION_WINDOW_MS: 'MOCK_DECK_INTERACTION_WINDOW_MS must be a whole number of milliseconds above 0',
  MOCK_DECK_SCENARIOS_DIR: 'MOCK_DECK_SCENARIOS_DIR must be a folder path',
  MOCK_DECK_RETRY_SCHEDULE:
    'MOCK_DECK_RETRY_SCHEDULE must be 1 to 20 durations of at most 30 days, separated by commas (such as 1s,2s,4s), or empty',
  MOCK_DECK_CANCEL_SPELLING: 'MOCK_DECK_CANCEL_SPELLING must be cancelling or canceling',
  MOCK_DECK_LOG_LEVEL: 'MOCK_DECK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
};

/** One line for one bad setting: its rule, else a sentence naming only the setting. */
export function settingProblem(setting: string): string {
  return SETTING_RULES[setting] ?? `${setting} is not valid`;
}

/** What start-up prints, on its own, when the configuration will not do. */
export function configurationReport(problems: string[]): string {
  return `Invalid sandbox configuration:\n${problems.map((line) => `  ${line}\n`).join('')}`;
}
