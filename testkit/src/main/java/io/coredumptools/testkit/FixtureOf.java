package io.coredumptools.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the fixture to inject into a {@link CoreFixture} parameter of a test method or constructor; see
 * {@link CoreFixtureExtension}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface FixtureOf {
    Fixture value();
}
