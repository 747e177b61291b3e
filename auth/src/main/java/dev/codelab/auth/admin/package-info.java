/**
 * The user administration API {@code /oauth/admin/users}, for access tokens holding {@code api:admin}: list, create,
 * disable or re-enable a user, set a password.
 */
package dev.codelab.auth.admin;
