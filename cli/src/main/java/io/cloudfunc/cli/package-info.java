/** The {@code cloudfunc} command-line client: one file per subcommand, talking to the gateway over HTTP. */
package io.cloudfunc.cli;
