package io.gridrun.gateway.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A caller identified by an API token, from the {@code Authorization} header or the UI session. */
public final class TokenAuthentication extends AbstractAuthenticationToken {

  private final ApiToken token;
  private final boolean fromSession;

  TokenAuthentication(ApiToken token, boolean fromSession) {
    super(token.scope().authorities());
    this.token = token;
    this.fromSession = fromSession;
    setAuthenticated(true);
  }

  public Scope scope() {
    return token.scope();
  }

  /** True for a browser's session cookie, false for a {@code Bearer} header. */
  public boolean fromSession() {
    return fromSession;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return token.name();
  }
}
