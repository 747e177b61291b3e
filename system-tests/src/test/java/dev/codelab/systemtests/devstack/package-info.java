/**
 * {@code codelab up}'s stack as a whole: the entry point serves exactly what nginx serves, nothing listens beyond
 * this machine unless asked, and the deployment check passes against it.
 */
package dev.codelab.systemtests.devstack;
