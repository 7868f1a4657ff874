/** OAuth errors in Salesforce's token-endpoint shape: HTTP 400 `{error, error_description}`. */

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidClientId = (): OAuthError => new OAuthError('invalid_client_id', 'client identifier invalid');
export const invalidClient = (): OAuthError => new OAuthError('invalid_client', 'invalid client credentials');
export const invalidGrant = (description: string): OAuthError => new OAuthError('invalid_grant', description);
