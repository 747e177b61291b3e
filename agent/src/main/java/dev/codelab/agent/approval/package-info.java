/**
 * The approval policy: for each IDE tool call whether it runs at once, asks the user first, or is refused, from
 * configured rules over the tool and its arguments (commands split into their parts).
 */
package dev.codelab.agent.approval;
