/**
 * Users: the {@code users} table, the rules every creation path applies (NIST password length, not the username or
 * email), bcrypt hashing that does not reveal which usernames exist, and the changes that end a user's sessions.
 */
package dev.codelab.auth.user;
