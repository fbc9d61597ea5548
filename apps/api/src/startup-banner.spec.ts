import { BannerFacts, startupBanner } from './startup-banner';

const FACTS: BannerFacts = {
  publicUrl: 'http://127.0.0.1:3000',
  adminEmail: 'admin@deckhand.local',
  defaultPassword: 'deckhand-admin',
  deckUrl: 'http://127.0.0.1:4010/v2',
  deckIsSandbox: true,
  dashboardBuilt: true,
};

describe(startupBanner.name, () => {
  it('should name the URL to open, the first login and where the sandbox is', () => {
    const banner = startupBanner(FACTS);
    expect(banner).toContain('open http://127.0.0.1:3000');
    expect(banner).toContain('admin@deckhand.local / deckhand-admin');
    expect(banner).toContain('the sandbox at http://127.0.0.1:4010');
    expect(banner).not.toContain('not built');
    expect(banner.trim().split('\n').length).toBeLessThanOrEqual(6);
  });

  it('should never show a password that is not the embedded default', () => {
    const banner = startupBanner({ ...FACTS, defaultPassword: null });
    expect(banner).toContain('log in as   admin@deckhand.local\n');
    expect(banner).not.toContain('deckhand-admin');
  });

  it('should name real Deck as it is, and say when the dashboard still has to be built', () => {
    const banner = startupBanner({
      ...FACTS,
      deckUrl: 'https://api.deck.co/v2',
      deckIsSandbox: false,
      dashboardBuilt: false,
    });
    expect(banner).toContain('Deck        https://api.deck.co/v2');
    expect(banner).not.toContain('sandbox');
    expect(banner).toContain('npm run build');
  });

  it('should be plain lines, not a JSON log record', () => {
    for (const line of startupBanner(FACTS).split('\n').filter(Boolean)) {
      expect(() => JSON.parse(line) as unknown).toThrow();
    }
  });
});
