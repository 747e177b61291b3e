package dev.codelab.client;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a {@link CodeLabClient} keeps its tokens. Refresh tokens rotate on every refresh, so the client saves
 * after each login and refresh; an implementation must persist what it is given before returning.
 * {@link FileTokenStore} keeps them in a file readable only by the user; {@link #inMemory()} keeps them
 * for the life of the process.
 */
public interface TokenStore {

    /** The stored tokens, if any. */
    Optional<Tokens> load();

    /** Replaces the stored tokens. */
    void save(Tokens tokens);

    /** Forgets the stored tokens (log out). */
    void clear();

    /** A store that lives only as long as this object. */
    static TokenStore inMemory() {
        AtomicReference<Tokens> tokens = new AtomicReference<>();
        return new TokenStore() {
            @Override
            public Optional<Tokens> load() {
                return Optional.ofNullable(tokens.get());
            }

            @Override
            public void save(Tokens value) {
                tokens.set(value);
            }

            @Override
            public void clear() {
                tokens.set(null);
            }
        };
    }
}
