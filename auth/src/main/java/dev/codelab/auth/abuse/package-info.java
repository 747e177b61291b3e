/**
 * The token endpoint's abuse limits, counted in Redis so that every replica sees the same numbers: requests per client
 * IP, password attempts per username, and the failed-password counters that lock an account out for a while.
 */
package dev.codelab.auth.abuse;
