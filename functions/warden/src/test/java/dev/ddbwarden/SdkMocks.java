package dev.ddbwarden;

import org.mockito.stubbing.Answer;

import java.util.function.Consumer;

import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * Mocks of AWS SDK v2 clients. The code under test calls the {@code Consumer<Builder>} overloads,
 * which are interface default methods that build the request and call the request-taking overload.
 * A plain Mockito mock would stub those defaults too (returning null), so this mock runs the real
 * default method for every single-Consumer overload and keeps Mockito's defaults for the rest: tests
 * stub and verify the request-taking overloads with the exact request that was built.
 */
public final class SdkMocks {
    private static final Answer<Object> BUILD_THEN_DELEGATE = invocation -> {
        Class<?>[] parameters = invocation.getMethod().getParameterTypes();
        if (invocation.getMethod().isDefault() && parameters.length == 1 && parameters[0] == Consumer.class) {
            return invocation.callRealMethod();
        }
        return RETURNS_DEFAULTS.answer(invocation);
    };

    private SdkMocks() {
    }

    public static <T> T client(Class<T> type) {
        return mock(type, withSettings().defaultAnswer(BUILD_THEN_DELEGATE));
    }
}
