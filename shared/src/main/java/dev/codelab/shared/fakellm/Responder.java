package dev.codelab.shared.fakellm;

/** Answers a request that no scripted {@link Reply} was queued for. */
@FunctionalInterface
public interface Responder {

    /** The default: an unscripted request is a test's mistake, so it gets a 500 that says so. */
    Responder UNSCRIPTED = request -> Reply.json(500, """
            {"error":{"message":"no scripted reply"}}""");

    Reply answer(Recorded request);
}
