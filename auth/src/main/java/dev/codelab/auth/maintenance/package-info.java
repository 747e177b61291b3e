/**
 * The background chores of one replica, each safe to run on all of them at once: reloading and rotating the key ring,
 * purging expired refresh tokens and old audit rows.
 */
package dev.codelab.auth.maintenance;
