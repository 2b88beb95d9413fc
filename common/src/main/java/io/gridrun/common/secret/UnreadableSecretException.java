package io.gridrun.common.secret;

/** A sealed secret that does not open; the message names the variable, never a value. */
public class UnreadableSecretException extends RuntimeException {

  private final String name;

  public UnreadableSecretException(String name, String why) {
    super("secret '" + name + "' could not be decrypted: " + why);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
