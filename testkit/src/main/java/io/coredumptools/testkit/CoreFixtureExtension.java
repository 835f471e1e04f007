package io.coredumptools.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects built fixtures into tests:
 * <pre>
 * &#64;ExtendWith(CoreFixtureExtension.class)
 * class SomeTest {
 *     &#64;Test
 *     void reads(&#64;FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) { ... }
 * }
 * </pre>
 * Works for test methods, lifecycle methods and constructors. The fixture is built on first use and
 * shared (see {@link Fixtures#get}).
 */
public final class CoreFixtureExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CoreFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        FixtureOf which = parameterContext
                .findAnnotation(FixtureOf.class)
                .orElseThrow(() -> new ParameterResolutionException("Parameter '"
                        + parameterContext.getParameter().getName() + "' of "
                        + parameterContext.getDeclaringExecutable()
                        + " needs @FixtureOf(Fixture.X) to say which fixture to inject"));
        return Fixtures.get(which.value());
    }
}
