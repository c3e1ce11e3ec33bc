/**
 * Deploy-time code checks ({@code POST /internal/code-checks}): a deploy's code is loaded once by its runtime in a
 * throwaway container (a prewarmed one when there is one), so that a deploy whose code cannot load is refused
 * instead of failing every call. The container is removed after the check and never serves a call.
 */
package io.cloudfunc.containers.verify;
