/** What an operator may do: viewers read; operators also act on credentials and prompts; admins manage operators. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface LoginRequest {
  email: string;
  password: string;
}

export interface OperatorView {
  id: string;
  email: string;
  role: Role;
  created_at: string;
}

export interface CreateOperatorRequest {
  email: string;
  password: string;
  role: Role;
}
