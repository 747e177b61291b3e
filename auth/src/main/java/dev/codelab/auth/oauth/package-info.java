/**
 * The OAuth wire format shared by the endpoints: form bodies read with the checks RFC 6749 asks for, and refusals
 * answered with its error body.
 */
package dev.codelab.auth.oauth;
