package io.gridrun.job.persistence;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * The update that turns one stored document into another: {@code $set} of each top-level field
 * whose value differs (a list of the same length element by element, {@code <field>.<i>}, so a run
 * event that changes one step sends that step only) and {@code $unset} of the fields gone. Nested
 * documents are set whole: their keys may hold dots (metric and parameter names), which a path
 * cannot name. Supported alike by MongoDB and mongo-java-server.
 */
final class RunDiff {

  private RunDiff() {}

  /** The update from {@code before} to {@code after}; empty when they are equal. */
  static Document update(Document before, Document after) {
    Document set = new Document();
    Document unset = new Document();
    for (Map.Entry<String, Object> field : after.entrySet()) {
      String key = field.getKey();
      Object was = before.get(key);
      Object now = field.getValue();
      if ("_id".equals(key) || (before.containsKey(key) && Objects.equals(was, now))) {
        continue;
      }
      if (was instanceof List<?> old
          && now instanceof List<?> changed
          && old.size() == changed.size()) {
        for (int i = 0; i < changed.size(); i++) {
          if (!Objects.equals(old.get(i), changed.get(i))) {
            set.append(key + "." + i, changed.get(i));
          }
        }
      } else {
        set.append(key, now);
      }
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        unset.append(key, "");
      }
    }
    Document update = new Document();
    if (!set.isEmpty()) {
      update.append("$set", set);
    }
    if (!unset.isEmpty()) {
      update.append("$unset", unset);
    }
    return update;
  }
}
