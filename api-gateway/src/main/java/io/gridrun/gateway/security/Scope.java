package io.gridrun.gateway.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a token may do; each scope includes the ones before it. */
public enum Scope {
  /** Every {@code GET}. */
  READ,
  /** Also create and control jobs, upload projects and read step logs. */
  WRITE,
  /** Also manage environments, webhooks and tokens, and read the actuator. */
  ADMIN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean covers(Scope required) {
    return ordinal() >= required.ordinal();
  }

  /** The authority a token of this scope holds for {@code required}: {@code SCOPE_write}. */
  public GrantedAuthority authority() {
    return new SimpleGrantedAuthority("SCOPE_" + label());
  }

  /** The authorities of a token of this scope: its own and those it includes. */
  public List<GrantedAuthority> authorities() {
    return Arrays.stream(values()).filter(this::covers).map(Scope::authority).toList();
  }

  public static Optional<Scope> parse(String label) {
    return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
  }
}
