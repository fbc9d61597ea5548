import { filtersFromParams, filtersToParams, hasFilters, NO_EVENT_FILTERS, toListQuery } from './event-filters';

describe('event filters ↔ URL query params', () => {
  it('should read lists given as commas or repeats, without blanks or repeats', () => {
    const filters = filtersFromParams({
      type: ['credential.verified,credential.invalid', 'credential.verified', ''],
      outcome: 'held,stale',
      via: ['catch_up'],
    });

    expect(filters.types).toEqual(['credential.verified', 'credential.invalid']);
    expect(filters.outcomes).toEqual(['held', 'stale']);
    expect(filters.vias).toEqual(['catch_up']);
  });

  it('should drop outcomes and vias the api does not know, but keep unknown event types', () => {
    const filters = filtersFromParams({ type: 'agent.renamed', outcome: 'applied,lost', via: 'email' });

    expect(filters).toEqual({ ...NO_EVENT_FILTERS, types: ['agent.renamed'], outcomes: ['applied'] });
  });

  it('should read the credential, the Deck credential id and the cursor', () => {
    const filters = filtersFromParams({ credential: 'c-1', deck_credential_id: ' cred_9 ', cursor: 'abc' });

    expect(filters).toMatchObject({ credentialId: 'c-1', deckCredentialId: 'cred_9', cursor: 'abc' });
  });

  it('should write every key, null for what is unset, so a navigation replaces the whole view', () => {
    expect(filtersToParams(NO_EVENT_FILTERS)).toEqual({
      type: null,
      outcome: null,
      via: null,
      deck_credential_id: null,
      credential: null,
      cursor: null,
    });
  });

  it('should come back the same after a round trip through the URL', () => {
    const filters = {
      types: ['task_run.completed', 'credential.invalid'],
      outcomes: ['stale' as const],
      vias: ['webhook' as const, 'catch_up' as const],
      deckCredentialId: 'cred_1',
      credentialId: null,
      cursor: 'next-page',
    };

    expect(filtersToParams(filters)).toEqual({
      type: 'task_run.completed,credential.invalid',
      outcome: 'stale',
      via: 'webhook,catch_up',
      deck_credential_id: 'cred_1',
      credential: null,
      cursor: 'next-page',
    });
    expect(filtersFromParams(filtersToParams(filters))).toEqual(filters);
  });

  it('should keep only our credential id in the URL when both are known, since the Deck id follows from it', () => {
    const params = filtersToParams({ ...NO_EVENT_FILTERS, credentialId: 'c-1', deckCredentialId: 'cred_1' });

    expect(params).toMatchObject({ credential: 'c-1', deck_credential_id: null });
  });

  it('should build the api query from the filters and the resolved Deck credential id', () => {
    const filters = filtersFromParams({ type: 'credential.verified', outcome: 'held', credential: 'c-1', cursor: 'x' });

    expect(toListQuery(filters, 'cred_1', 50)).toEqual({
      type: ['credential.verified'],
      outcome: ['held'],
      deck_credential_id: 'cred_1',
      cursor: 'x',
      limit: 50,
    });
    expect(toListQuery(NO_EVENT_FILTERS, null, 25)).toEqual({ limit: 25 });
  });

  it('should not count the cursor as a filter', () => {
    expect(hasFilters({ ...NO_EVENT_FILTERS, cursor: 'x' })).toBe(false);
    expect(hasFilters({ ...NO_EVENT_FILTERS, vias: ['webhook'] })).toBe(true);
  });
});
