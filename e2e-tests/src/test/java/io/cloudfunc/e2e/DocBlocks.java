package io.cloudfunc.e2e;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell examples of a markdown file: its fenced {@code sh}, {@code bash}, {@code shell} and {@code console}
 * blocks, each split into the commands bash would read, with the line each starts on.
 *
 * <p>A block with lines starting with {@code $ } is a transcript: those lines are the commands (with their
 * continuation lines) and the others are output. Any other block is a script: every line is a command or part of one,
 * blank and comment lines aside.
 *
 * <p>A block that cannot run as written is marked, on the last non-blank line before its fence, with
 * {@code <!-- doc-test: skip (the reason) -->}. A mark that does not fit that form, or does not stand before a shell
 * block, and an unlabelled block that holds commands, are mistakes this parser reports rather than guesses about.
 */
final class DocBlocks {

    private static final Pattern FENCE = Pattern.compile("^```\\s*([\\w-]*)\\s*$");
    private static final Pattern SHELL = Pattern.compile("sh|bash|shell|console");
    private static final Pattern SKIP = Pattern.compile("^<!--\\s*doc-test:\\s*skip\\s*\\((.*\\S.*)\\)\\s*-->\\s*$");
    /** An unlabelled block starting like this holds commands and must say it is shell. */
    private static final Pattern LOOKS_LIKE_COMMANDS = Pattern.compile("^(\\$ |curl |cloudfunc |cli/target/cloudfunc )");

    private DocBlocks() {
    }

    /** A command of a block: its text (continuation lines included) and the file's line it starts on (from 1). */
    record Command(int line, String text) {
    }

    /** A shell block: the line of its opening fence, its commands, and the reason it is skipped (null: it runs). */
    record Block(int line, List<Command> commands, String skipReason) {

        boolean skipped() {
            return skipReason != null;
        }
    }

    /** The shell blocks of a file and the mistakes found in its marks and fences ("line N: ..."). */
    record Parsed(List<Block> blocks, List<String> mistakes) {
    }

    static Parsed parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        List<String> mistakes = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.contains("doc-test:") && !SKIP.matcher(line.strip()).matches()) {
                mistakes.add("line " + (i + 1) + ": a doc-test mark must read <!-- doc-test: skip (reason) -->");
            }
            var fence = FENCE.matcher(line);
            if (!fence.matches()) {
                i++;
                continue;
            }
            int open = i;
            int close = open + 1;
            while (close < lines.size() && !lines.get(close).strip().equals("```")) {
                close++;
            }
            if (close == lines.size()) {
                mistakes.add("line " + (open + 1) + ": a code block that is never closed");
                break;
            }
            List<String> body = lines.subList(open + 1, close);
            String skip = skipMark(lines, open);
            String language = fence.group(1);
            if (SHELL.matcher(language).matches()) {
                blocks.add(new Block(open + 1, commands(body, open + 2), skip));
            } else {
                if (skip != null) {
                    mistakes.add("line " + (open + 1) + ": a doc-test mark before a block that is not shell ("
                            + (language.isEmpty() ? "unlabelled" : language) + ")");
                }
                if (language.isEmpty() && !body.isEmpty() && LOOKS_LIKE_COMMANDS.matcher(body.getFirst()).find()) {
                    mistakes.add("line " + (open + 1) + ": an unlabelled block of commands: label it sh, bash or console");
                }
            }
            i = close + 1;
        }
        return new Parsed(blocks, mistakes);
    }

    /** The reason of the skip mark on the last non-blank line before {@code fence}, or null. */
    private static String skipMark(List<String> lines, int fence) {
        for (int i = fence - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                var mark = SKIP.matcher(line);
                return mark.matches() ? mark.group(1).strip() : null;
            }
        }
        return null;
    }

    /** The commands of a block whose first line is the file's line {@code firstLine}. */
    static List<Command> commands(List<String> body, int firstLine) {
        boolean transcript = body.stream().anyMatch(l -> l.startsWith("$ "));
        List<Command> commands = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i);
            if (current == null) {
                if (transcript && !line.startsWith("$ ")) {
                    continue; // output
                }
                String text = transcript ? line.substring(2) : line;
                if (text.isBlank() || text.strip().startsWith("#")) {
                    continue;
                }
                current = new StringBuilder(text);
                start = firstLine + i;
            } else {
                current.append('\n').append(line);
            }
            if (complete(current.toString())) {
                commands.add(new Command(start, current.toString()));
                current = null;
            }
        }
        if (current != null) { // an open quote or a trailing backslash at the end of the block: bash fails on it too
            commands.add(new Command(start, current.toString()));
        }
        return commands;
    }

    private enum Context { TOP, SINGLE, DOUBLE, SUBSTITUTION, PARENTHESES }

    /**
     * Whether bash would take {@code text} as a whole command: no quote, {@code $(...)} or parenthesis left open, and
     * no backslash continuing it onto the next line. Comments are skipped. Enough for documentation, not a parser.
     */
    static boolean complete(String text) {
        Deque<Context> open = new ArrayDeque<>();
        open.push(Context.TOP);
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            Context context = open.peek();
            if (context == Context.SINGLE) {
                if (c == '\'') {
                    open.pop();
                }
                continue;
            }
            if (c == '\\') {
                if (i + 1 == n) {
                    return false; // continues on the next line
                }
                i++;
                continue;
            }
            if (c == '$' && i + 1 < n && text.charAt(i + 1) == '(') {
                open.push(Context.SUBSTITUTION);
                i++;
                continue;
            }
            if (context == Context.DOUBLE) {
                if (c == '"') {
                    open.pop();
                }
                continue;
            }
            // TOP, SUBSTITUTION or PARENTHESES: words, quotes, comments and parentheses
            if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '\'') {
                open.push(Context.SINGLE);
            } else if (c == '"') {
                open.push(Context.DOUBLE);
            } else if (c == '(') {
                open.push(Context.PARENTHESES);
            } else if (c == ')' && context != Context.TOP) {
                open.pop();
            }
        }
        return open.size() == 1;
    }
}
