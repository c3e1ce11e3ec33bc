/**
 * Function management: deploy (multipart zip upload, or JSON with inline code that the gateway zips), list,
 * describe and delete. Inputs are checked here first; the registry has the last word and its problems pass through.
 */
package io.cloudfunc.gateway.function;
