package io.gridrun.snapshot.environment;

import java.util.regex.Pattern;

/**
 * Docker's image reference grammar ({@code [registry[:port]/]name[:tag][@digest]}, as the
 * distribution project defines it), so that a registration naming something that can never be an
 * image is refused at once instead of failing every job that uses it.
 */
final class ImageReference {

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_PART = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
  private static final int MAX_NAME = 255;

  private ImageReference() {}

  static boolean valid(String reference) {
    var match = REFERENCE.matcher(reference.strip());
    return match.matches() && match.group(1).length() <= MAX_NAME;
  }

  static String problem(String field) {
    return field
        + " is not an image reference: use [registry/]name[:tag][@digest] in lower case,"
        + " e.g. gridrun/busybox:test";
  }
}
