package dev.codelab.auth.token;

import java.util.LinkedHashMap;
import java.util.Map;

/** A successful token response; {@code refreshToken} is {@code null} for client_credentials. */
record TokenResponse(String accessToken, String refreshToken, int expiresIn, String scope) {

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        body.put("token_type", "bearer");
        body.put("expires_in", expiresIn);
        body.put("scope", scope);
        return body;
    }

    @Override
    public String toString() {
        return "TokenResponse[scope=" + scope + "]";
    }
}
