package io.gridrun.job.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
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
 * <p>Instants are native BSON dates, as in the other services. A BSON date holds milliseconds, so
 * job-service's clock ticks in milliseconds (its {@code Clock} bean): what it stamps is stored
 * exactly, and range queries (due schedules, expired leases) and sorts compare dates. Instants that
 * come in events at a finer precision are kept to the millisecond. {@code OffsetDateTime} (a
 * schedule's {@code at}, whose offset no BSON type keeps) is stored as its ISO text.
 *
 * <p>Migration: an instant stored as ISO-8601 text (documents written before this mapping) is read
 * as an instant, but the range queries compare dates: on a long-lived MongoDB, re-save the jobs
 * with a schedule and let leases be written anew (the local stack's embedded store is recreated).
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
            ConverterBuilder.reading(String.class, Instant.class, Instant::parse),
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
}
