package io.gridrun.common.ignore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitIgnoreTest {

  private static GitIgnore root(String content) {
    GitIgnore ignore = new GitIgnore();
    ignore.add("", content);
    return ignore;
  }

  @Test
  void aNamePatternMatchesAtAnyDepthAndCommentsAndBlanksAreSkipped() {
    GitIgnore ignore = root("# build output\n\n*.log\ncache\n");

    assertThat(ignore.isIgnored("run.log", false)).isTrue();
    assertThat(ignore.isIgnored("a/b/run.log", false)).isTrue();
    assertThat(ignore.isIgnored("a/cache", true)).isTrue();
    assertThat(ignore.isIgnored("a/cache.txt", false)).isFalse();
    assertThat(ignore.isIgnored("# build output", false)).isFalse();
  }

  @Test
  void negationReIncludesAndTheLastMatchingPatternWins() {
    GitIgnore ignore = root("*.csv\n!keep.csv\n");

    assertThat(ignore.isIgnored("data.csv", false)).isTrue();
    assertThat(ignore.isIgnored("sub/keep.csv", false)).isFalse();
  }

  @Test
  void aTrailingSlashMatchesDirectoriesOnly() {
    GitIgnore ignore = root("out/\n");

    assertThat(ignore.isIgnored("out", true)).isTrue();
    assertThat(ignore.isIgnored("src/out", true)).isTrue();
    assertThat(ignore.isIgnored("out", false)).isFalse();
  }

  @Test
  void aLeadingOrInnerSlashAnchorsToTheGitignoresDirectory() {
    GitIgnore ignore = root("/build\ndocs/tmp\n");

    assertThat(ignore.isIgnored("build", true)).isTrue();
    assertThat(ignore.isIgnored("sub/build", true)).isFalse();
    assertThat(ignore.isIgnored("docs/tmp", true)).isTrue();
    assertThat(ignore.isIgnored("x/docs/tmp", true)).isFalse();
  }

  @Test
  void doubleStarsMatchAnyNumberOfDirectories() {
    GitIgnore ignore = root("**/models/*.bin\nlogs/**\na/**/z\n");

    assertThat(ignore.isIgnored("models/w.bin", false)).isTrue();
    assertThat(ignore.isIgnored("x/y/models/w.bin", false)).isTrue();
    assertThat(ignore.isIgnored("logs/2026/11/run.txt", false)).isTrue();
    assertThat(ignore.isIgnored("a/z", false)).isTrue();
    assertThat(ignore.isIgnored("a/b/c/z", false)).isTrue();
    assertThat(ignore.isIgnored("b/z", false)).isFalse();
  }

  @Test
  void characterClassesAndQuestionMarksMatchOneCharacter() {
    GitIgnore ignore = root("run-[0-9].txt\nv?.json\n");

    assertThat(ignore.isIgnored("run-7.txt", false)).isTrue();
    assertThat(ignore.isIgnored("run-x.txt", false)).isFalse();
    assertThat(ignore.isIgnored("v1.json", false)).isTrue();
    assertThat(ignore.isIgnored("v10.json", false)).isFalse();
  }

  @Test
  void aNestedGitignoreAppliesToItsSubtreeAfterTheRootOne() {
    GitIgnore ignore = root("*.tmp\n");
    ignore.add("sub", "!keep.tmp\nlocal.txt\n");

    assertThat(ignore.isIgnored("sub/keep.tmp", false)).isFalse();
    assertThat(ignore.isIgnored("keep.tmp", false)).isTrue();
    assertThat(ignore.isIgnored("sub/local.txt", false)).isTrue();
    assertThat(ignore.isIgnored("local.txt", false)).isFalse();
  }

  @Test
  void aPathologicalPatternIsMatchedInMillisecondsNotByBacktracking() {
    GitIgnore ignore = root("*a*a*a*a*a*a*a*a*a*a*b\n/x/**/*a*a*a*a*a*a*a*a*a*a*b/**\n");
    String name = "a".repeat(200);
    String deep = "x/" + "a/".repeat(100) + name;

    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(ignore.isIgnored(name, false)).isFalse();
      assertThat(ignore.isIgnored(deep, false)).isFalse();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    // a backtracking regular expression needs seconds for one name of 40 characters
    assertThat(millis).isLessThan(2000);
    assertThat(ignore.isIgnored("a".repeat(199) + "b", false)).isTrue();
  }

  @Test
  void anInvalidPatternIsSkippedWithAWarningAndTheOthersStillApply() {
    GitIgnore ignore = root("*.log\n[z-a]\ntrailing\\\n");
    ignore.add("sub", "ok\n[[:nope:]]\n");

    assertThat(ignore.isIgnored("run.log", false)).isTrue();
    assertThat(ignore.isIgnored("z", false)).isFalse();
    assertThat(ignore.isIgnored("sub/ok", false)).isTrue();
    assertThat(ignore.warnings())
        .containsExactly(
            ".gitignore line 2: the pattern '[z-a]' is skipped: the range z-a is reversed",
            ".gitignore line 3: the pattern 'trailing\\' is skipped: it ends with a lone"
                + " backslash",
            "sub/.gitignore line 2: the pattern '[[:nope:]]' is skipped: '[:nope:]' is not a"
                + " character class");
  }

  @Test
  void classesNegatedClassesEscapesAndStarsNeverCrossASlash() {
    GitIgnore ignore = root("v[!0-9].txt\nx[[:digit:]]\n\\#hash\n\\!bang\nsrc/*.o\n");

    assertThat(ignore.isIgnored("va.txt", false)).isTrue();
    assertThat(ignore.isIgnored("v1.txt", false)).isFalse();
    assertThat(ignore.isIgnored("x7", false)).isTrue();
    assertThat(ignore.isIgnored("xa", false)).isFalse();
    assertThat(ignore.isIgnored("#hash", false)).isTrue();
    assertThat(ignore.isIgnored("!bang", false)).isTrue();
    assertThat(ignore.isIgnored("src/a.o", false)).isTrue();
    assertThat(ignore.isIgnored("src/deep/a.o", false)).isFalse();
    assertThat(root("logs/**\n").isIgnored("logs", true)).isFalse();
  }
}
