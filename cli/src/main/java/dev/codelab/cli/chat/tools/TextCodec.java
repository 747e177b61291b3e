package dev.codelab.cli.chat.tools;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How the terminal IDE turns a file's bytes into text and back, so that an edit keeps the file's encoding: UTF-8
 * (a byte-order mark stays part of the text), or ISO-8859-1 for a file that is not valid UTF-8.
 */
record TextCodec(Charset charset) {

    static final TextCodec UTF_8 = new TextCodec(StandardCharsets.UTF_8);
    static final TextCodec LATIN_1 = new TextCodec(StandardCharsets.ISO_8859_1);

    static TextCodec of(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return UTF_8;
        } catch (CharacterCodingException e) {
            return LATIN_1;
        }
    }

    String decode(byte[] bytes) {
        return new String(bytes, charset);
    }

    /** The text in this encoding, or in UTF-8 when it has characters this encoding cannot hold. */
    byte[] encode(String text) {
        return charset.newEncoder().canEncode(text) ? text.getBytes(charset) : text.getBytes(StandardCharsets.UTF_8);
    }

    String label() {
        return charset == StandardCharsets.UTF_8 ? "utf-8" : "iso-8859-1";
    }
}
