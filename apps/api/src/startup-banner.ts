/** What the start-up banner tells a person who just ran `npm start`. */
export interface BannerFacts {
  /** PUBLIC_URL: where to open the console. */
  publicUrl: string;
  adminEmail: string;
  /** Only while the first operator still has the embedded default password (never one the user set). */
  defaultPassword: string | null;
  /** Deck's base URL, and whether it is the sandbox. */
  deckUrl: string;
  deckIsSandbox: boolean;
  dashboardBuilt: boolean;
}

/** A few plain lines (not a log record), printed once the api listens. */
export function startupBanner(facts: BannerFacts): string {
  const login = facts.defaultPassword
    ? `${facts.adminEmail} / ${facts.defaultPassword} (the default password: change it)`
    : facts.adminEmail;
  const deck = facts.deckIsSandbox
    ? `the sandbox at ${new URL(facts.deckUrl).origin} (Deck API at /v2, its docs at /docs)`
    : facts.deckUrl;
  const lines = [
    '',
    `Deckhand is ready: open ${facts.publicUrl}`,
    `  log in as   ${login}`,
    `  Deck        ${deck}`,
    ...(facts.dashboardBuilt ? [] : ['  dashboard   not built yet: run `npm run build` (the api answers meanwhile)']),
    `  api docs    ${facts.publicUrl}/api/docs`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}
