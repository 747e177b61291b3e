package dev.codelab.llmproxy.provider;

import dev.codelab.llmproxy.registry.Deployment;

/**
 * A provider reached over HTTP: its {@link ProviderMapper} translates, {@link UpstreamHttp} carries (status
 * errors, timeouts, the guard on streams), and the mapper's {@link StreamFraming} splits a streamed body into
 * events.
 */
public final class HttpProvider implements Provider {

    private final UpstreamHttp http;
    private final ProviderMapper mapper;

    public HttpProvider(UpstreamHttp http, ProviderMapper mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    @Override
    public ChatCompletion complete(ProviderRequest request) {
        Deployment d = request.deployment();
        String name = mapper.name(d);
        byte[] answer = http.post(
                name,
                request.requestId(),
                mapper.endpoint(d),
                mapper.headers(d),
                mapper.request(request.body(), d, false),
                d.timeout());
        return mapper.completion(ProviderJson.answer(name, answer), answer, d);
    }

    @Override
    public void stream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        StreamMapper translation = mapper.stream(d, sink);
        try (UpstreamHttp.Lines lines = http.postStream(
                mapper.name(d),
                request.requestId(),
                mapper.endpoint(d),
                mapper.headers(d),
                mapper.request(request.body(), d, true),
                d.timeout(),
                request.guard())) {
            if (!mapper.framing().feed(lines, translation)) {
                translation.end();
            }
        }
    }
}
