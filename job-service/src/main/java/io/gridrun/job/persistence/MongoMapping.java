package io.gridrun.job.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.convert.ConverterBuilder;
import org.springframework.data.mongodb.core.convert.DefaultMongoTypeMapper;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.convert.NoOpDbRefResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * job-service's one persistence mapping: Spring Data MongoDB maps the domain records (canonical
 * constructors) to documents and back. Documents carry no {@code _class}; map keys keep their dots
 * (metric keys {@code <step>.<name>}, which the results' sort fields address as paths).
 *
 * <p>Time is not stored as BSON dates: a BSON date holds milliseconds, while the API shows the
 * instants it was given at nanosecond precision (a schedule's {@code at} comes back as {@code
 * nextRunAt}, and tests compare them exactly). So every {@code Instant} is stored as fixed-width
 * ISO-8601 UTC text ({@link #text}: nine fraction digits), which sorts as time does, so that range
 * queries (due schedules, expired leases) and sorts compare the text; {@code OffsetDateTime} (a
 * schedule's {@code at}, whose offset no BSON type keeps) as its ISO text.
 *
 * <p>Migration: documents written before this mapping are read as they are (same field names,
 * instants as ISO text), but the range queries no longer use their {@code dueAt} and {@code
 * expiresAtMillis} numbers: on a long-lived MongoDB, re-save the jobs with a schedule and let
 * leases be written anew (the local stack's embedded store is recreated).
 */
@Configuration(proxyBeanMethods = false)
public class MongoMapping {

  @Bean
  MongoCustomConversions mongoCustomConversions() {
    return conversions();
  }

  @Bean
  MappingMongoConverter mappingMongoConverter(
      MongoMappingContext context, MongoCustomConversions conversions) {
    return converter(context, conversions);
  }

  /** The conversions, also for tests that map without Spring. */
  public static MongoCustomConversions conversions() {
    return new MongoCustomConversions(
        List.of(
            ConverterBuilder.writing(Instant.class, String.class, MongoMapping::text)
                .andReading(Instant::parse),
            ConverterBuilder.writing(OffsetDateTime.class, String.class, OffsetDateTime::toString)
                .andReading(OffsetDateTime::parse)));
  }

  /** The converter, also for tests that map without Spring. */
  public static MappingMongoConverter converter(
      MongoMappingContext context, MongoCustomConversions conversions) {
    MappingMongoConverter converter =
        new MappingMongoConverter(NoOpDbRefResolver.INSTANCE, context);
    converter.setCustomConversions(conversions);
    converter.setTypeMapper(new DefaultMongoTypeMapper(null));
    converter.preserveMapKeys(true);
    converter.afterPropertiesSet();
    return converter;
  }

  /** A converter on a mapping context of its own: for tests without Spring. */
  public static MappingMongoConverter standalone() {
    MongoCustomConversions conversions = conversions();
    MongoMappingContext context = new MongoMappingContext();
    context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
    context.afterPropertiesSet();
    return converter(context, conversions);
  }

  private static final DateTimeFormatter SORTABLE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * An instant as stored: ISO-8601 in UTC with nine fraction digits, so text order is time order.
   */
  public static String text(Instant instant) {
    return SORTABLE.format(instant);
  }
}
