package io.cloudfunc.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** The report's charts, drawn with plain Java2D (headless) into PNG files. */
public final class Charts {

    private static final Color CLOUDFUNC = new Color(0x1f77b4);
    private static final Color BASELINE = new Color(0xaaaaaa);
    private static final Color P99 = new Color(0xd62728);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {
    }

    /**
     * One horizontal bar per row: p50 as the bar, p99 as a red tick, on a logarithmic millisecond axis, so that a
     * 0.05 ms round trip and a 300 ms {@code docker run} fit on one picture.
     */
    public static void latencyBars(String title, List<Row> rows, Path file) throws IOException {
        List<Row> drawn = rows.stream().filter(r -> r.p50() != null).toList();
        int left = 420, right = 40, top = 50, bar = 22, gap = 8, bottom = 50, width = 1000;
        int height = top + bottom + 10 + Math.max(1, drawn.size()) * (bar + gap);
        double lo = 0.01, hi = 10_000;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image, title);
        int plot = width - left - right;
        g.setColor(Color.LIGHT_GRAY);
        for (double tick = lo; tick <= hi; tick *= 10) {
            int x = left + (int) (plot * logPosition(tick, lo, hi));
            g.drawLine(x, top - 5, x, height - bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Markdown.number(tick) + " ms", x - 15, height - bottom + 18);
            g.setColor(Color.LIGHT_GRAY);
        }
        int y = top;
        for (Row row : drawn) {
            double p50 = Math.max(lo, row.p50().median());
            g.setColor(Row.CLOUDFUNC.equals(row.system()) ? CLOUDFUNC : BASELINE);
            g.fillRect(left, y, Math.max(1, (int) (plot * logPosition(p50, lo, hi))), bar);
            if (row.p99() != null) {
                int x = left + (int) (plot * logPosition(Math.max(lo, row.p99().median()), lo, hi));
                g.setColor(P99);
                g.setStroke(new BasicStroke(3));
                g.drawLine(x, y - 2, x, y + bar + 2);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Color.BLACK);
            String label = ((Row.CLOUDFUNC.equals(row.system()) ? "" : row.system() + ": ") + row.what()).replace("`", "");
            g.drawString(fit(g, label, left - 10), 8, y + bar - 6);
            g.drawString(Markdown.number(row.p50().median()), left + 4, y + bar - 6);
            y += bar + gap;
        }
        g.drawString("bar: p50 (blue CloudFunc, grey baselines); red tick: p99; logarithmic axis", left, height - 12);
        write(image, g, file);
    }

    /** p99 latency against the offered arrival rate of an open-loop sweep, with the 50 ms limit drawn in. */
    public static void rateSweep(String title, List<double[]> ratesAndP99, double limitMs, Path file) throws IOException {
        int width = 900, height = 500, left = 80, right = 30, top = 50, bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image, title);
        double maxRate = ratesAndP99.stream().mapToDouble(p -> p[0]).max().orElse(1) * 1.1;
        double lo = 0.1, hi = 100_000;
        int plotW = width - left - right, plotH = height - top - bottom;
        g.setColor(Color.LIGHT_GRAY);
        for (double tick = lo; tick <= hi; tick *= 10) {
            int yy = top + plotH - (int) (plotH * logPosition(tick, lo, hi));
            g.drawLine(left, yy, width - right, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Markdown.number(tick) + " ms", 10, yy + 4);
            g.setColor(Color.LIGHT_GRAY);
        }
        for (int i = 0; i <= 5; i++) {
            double rate = maxRate * i / 5;
            int xx = left + (int) (plotW * rate / maxRate);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%,.0f/s", rate), xx - 15, height - bottom + 18);
        }
        int limitY = top + plotH - (int) (plotH * logPosition(limitMs, lo, hi));
        g.setColor(P99);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(left, limitY, width - right, limitY);
        g.drawString(Markdown.number(limitMs) + " ms limit", width - right - 100, limitY - 4);
        g.setStroke(new BasicStroke(2));
        g.setColor(CLOUDFUNC);
        int px = -1, py = -1;
        for (double[] point : ratesAndP99) {
            int xx = left + (int) (plotW * point[0] / maxRate);
            int yy = top + plotH - (int) (plotH * logPosition(Math.max(lo, Math.min(hi, point[1])), lo, hi));
            g.fillOval(xx - 4, yy - 4, 8, 8);
            if (px >= 0) {
                g.drawLine(px, py, xx, yy);
            }
            px = xx;
            py = yy;
        }
        g.setColor(Color.BLACK);
        g.drawString("x: offered arrival rate (open loop); y: p99 latency from the intended send time (log)", left, height - 12);
        write(image, g, file);
    }

    private static Graphics2D canvas(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(FONT.deriveFont(Font.BOLD, 15f));
        g.setColor(Color.BLACK);
        g.drawString(title, 10, 25);
        g.setFont(FONT);
        return g;
    }

    private static void write(BufferedImage image, Graphics2D g, Path file) throws IOException {
        g.dispose();
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    static double logPosition(double value, double lo, double hi) {
        return Math.max(0, Math.min(1, Math.log(value / lo) / Math.log(hi / lo)));
    }

    private static String fit(Graphics2D g, String text, int width) {
        String s = text;
        while (s.length() > 4 && g.getFontMetrics().stringWidth(s) > width) {
            s = s.substring(0, s.length() - 2);
        }
        return s.equals(text) ? s : s + "…";
    }
}
