package io.gridrun.platform.persistence;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;

/**
 * gridrun's one way to map records to MongoDB documents: Spring Data's mapping ({@code id} is
 * {@code _id}, instants are native dates), with two settings every service needs.
 *
 * <ul>
 *   <li>Map keys are kept as they are, dots included: environment names ({@code python3.11}) and
 *       parameter names are keys of maps, and MongoDB and mongo-java-server both accept dotted
 *       field names.
 *   <li>An instant stored as ISO-8601 text, the way documents written through Jackson held it, is
 *       read as an instant, so documents written before the move to native dates stay readable.
 * </ul>
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
      "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration"
    })
@ConditionalOnClass(MappingMongoConverter.class)
public class MongoMappingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MongoCustomConversions mongoCustomConversions() {
    return MongoCustomConversions.create(
        conversions -> conversions.registerConverter(new IsoTextToInstant()));
  }

  @Bean
  static BeanPostProcessor mongoMapKeysAsTheyAre() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof MappingMongoConverter converter) {
          converter.preserveMapKeys(true);
        }
        return bean;
      }
    };
  }

  /** ISO-8601 text, as Jackson wrote instants, to an instant. */
  @ReadingConverter
  static final class IsoTextToInstant implements Converter<String, Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException notAnInstant) {
        throw new IllegalArgumentException("not an instant: '" + text + "'", notAnInstant);
      }
    }
  }
}
