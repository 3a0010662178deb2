/** The accounts the e2e specs sign in as (besides the test admin), created by globalSetup. */
export const E2E_PEOPLE = [
  { email: 'ana@chronoboard.test', name: 'Ana Lim', role: 'editor' },
  { email: 'ben@chronoboard.test', name: 'Ben Ode', role: 'editor' },
  // A name with markup, to show it is rendered as text everywhere.
  { email: 'markup@chronoboard.test', name: 'Ana <b>Lim</b>', role: 'editor' },
  { email: 'vera@chronoboard.test', name: 'Vera Viewer', role: 'viewer' },
] as const;

export type PersonName = (typeof E2E_PEOPLE)[number]['name'] | 'Test Admin';

/** What globalSetup hands to the workers per project: the admin's API token, session cookies. */
export interface E2eAuth {
  token: string;
  /** Account name → `cb_session=…` */
  cookies: Record<string, string>;
}
