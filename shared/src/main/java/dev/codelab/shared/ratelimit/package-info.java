/**
 * Redis for limits: fixed-window counters atomic across replicas, failing open or closed as configured, and Redis
 * clients with timeouts short enough that an outage costs milliseconds.
 */
package dev.codelab.shared.ratelimit;
