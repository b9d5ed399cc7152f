//! The plot of BENCHMARKS.md: p99 latency against calls per second, one line per number of
//! instances, with the 20 ms limit — drawn on an RGB canvas and written as PNG.

use font8x8::legacy::BASIC_LEGACY;

/// One line of the plot.
pub struct Series {
    /// Legend text.
    pub label: String,
    /// (calls per second, p99 in ms), in the order measured.
    pub points: Vec<(f64, f64)>,
}

type Rgb = [u8; 3];

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const LIMIT: Rgb = [200, 40, 40];
const COLOURS: [Rgb; 4] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [148, 103, 189]];

/// A picture being drawn.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Self { width, height, pixels: WHITE.repeat(width * height) }
    }

    fn dot(&mut self, x: i64, y: i64, colour: Rgb) {
        if x >= 0 && y >= 0 && (x as usize) < self.width && (y as usize) < self.height {
            let at = (y as usize * self.width + x as usize) * 3;
            self.pixels[at..at + 3].copy_from_slice(&colour);
        }
    }

    /// A line `thickness` pixels wide; every `dash`-th run of 8 pixels left out when dashed.
    fn line(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), colour: Rgb, thickness: i64, dashed: bool) {
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i64;
        for i in 0..=steps {
            if dashed && (i / 8) % 2 == 1 {
                continue;
            }
            let t = i as f64 / steps as f64;
            let (x, y) = ((x0 + (x1 - x0) * t).round() as i64, (y0 + (y1 - y0) * t).round() as i64);
            for dx in 0..thickness {
                for dy in 0..thickness {
                    self.dot(x + dx - thickness / 2, y + dy - thickness / 2, colour);
                }
            }
        }
    }

    fn square(&mut self, (x, y): (f64, f64), half: i64, colour: Rgb) {
        for dx in -half..=half {
            for dy in -half..=half {
                self.dot(x.round() as i64 + dx, y.round() as i64 + dy, colour);
            }
        }
    }

    /// Text in the 8×8 font, each font pixel `scale` pixels wide; `(x, y)` is its top left.
    fn text(&mut self, x: i64, y: i64, text: &str, scale: i64, colour: Rgb) {
        for (i, ch) in text.chars().enumerate() {
            let glyph = BASIC_LEGACY.get(ch as usize).copied().unwrap_or(BASIC_LEGACY[b'?' as usize]);
            for (row, bits) in glyph.iter().enumerate() {
                for col in 0..8 {
                    if bits & (1 << col) != 0 {
                        for sx in 0..scale {
                            for sy in 0..scale {
                                let px = x + (i as i64 * 8 + col) * scale + sx;
                                self.dot(px, y + row as i64 * scale + sy, colour);
                            }
                        }
                    }
                }
            }
        }
    }

    fn png(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header()?.write_image_data(&self.pixels)?;
        Ok(out)
    }
}

/// A round step for about `parts` ticks over `0..max`: 1, 2 or 5 times a power of ten.
fn tick_step(max: f64, parts: f64) -> f64 {
    let raw = (max / parts).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|step| *step >= raw).unwrap_or(10.0 * power)
}

fn label(value: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The plot as PNG bytes: p99 (ms, up) against calls per second (right), the limit dashed.
pub fn render(title: &str, series: &[Series], limit_ms: f64) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (960usize, 600usize);
    let (left, right, top, bottom) = (90.0, 30.0, 110.0, 70.0);
    let points = series.iter().flat_map(|s| &s.points);
    let x_max = points.clone().map(|p| p.0).fold(1.0, f64::max) * 1.08;
    let y_max = points.map(|p| p.1).fold(limit_ms, f64::max) * 1.1;
    let (x_step, y_step) = (tick_step(x_max, 8.0), tick_step(y_max, 6.0));
    let plot_w = width as f64 - left - right;
    let plot_h = height as f64 - top - bottom;
    let at = |(x, y): (f64, f64)| (left + x / x_max * plot_w, top + plot_h - y / y_max * plot_h);
    let mut canvas = Canvas::new(width, height);
    canvas.text(10, 12, title, 2, INK);
    // grid and ticks
    let mut x = 0.0;
    while x <= x_max {
        canvas.line(at((x, 0.0)), at((x, y_max)), GRID, 1, false);
        let text = label(x, x_step);
        let (px, py) = at((x, 0.0));
        canvas.text(px as i64 - text.len() as i64 * 4, py as i64 + 8, &text, 1, INK);
        x += x_step;
    }
    let mut y = 0.0;
    while y <= y_max {
        canvas.line(at((0.0, y)), at((x_max, y)), GRID, 1, false);
        let text = label(y, y_step);
        let (px, py) = at((0.0, y));
        canvas.text(px as i64 - 8 - text.len() as i64 * 8, py as i64 - 4, &text, 1, INK);
        y += y_step;
    }
    canvas.line(at((0.0, 0.0)), at((x_max, 0.0)), INK, 2, false);
    canvas.line(at((0.0, 0.0)), at((0.0, y_max)), INK, 2, false);
    let x_title = "answered calls per second";
    canvas.text((left + plot_w / 2.0) as i64 - x_title.len() as i64 * 8, height as i64 - 36, x_title, 2, INK);
    canvas.text(10, top as i64 - 30, "p99 latency, ms", 2, INK);
    // the limit
    canvas.line(at((0.0, limit_ms)), at((x_max, limit_ms)), LIMIT, 2, true);
    let (_, limit_y) = at((0.0, limit_ms));
    canvas.text(left as i64 + 10, limit_y as i64 - 12, &format!("p99 limit {limit_ms} ms"), 1, LIMIT);
    // the series and the legend
    for (i, line) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        for pair in line.points.windows(2) {
            canvas.line(at(pair[0]), at(pair[1]), colour, 3, false);
        }
        for point in &line.points {
            canvas.square(at(*point), 4, colour);
        }
        // the legend in one row under the title, clear of the data
        let (legend_x, legend_y) = (10 + i as i64 * 280, 44);
        canvas.line(
            (legend_x as f64, legend_y as f64 + 7.0),
            (legend_x as f64 + 30.0, legend_y as f64 + 7.0),
            colour,
            3,
            false,
        );
        canvas.text(legend_x + 40, legend_y, &line.label, 2, INK);
    }
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(9000.0, 8.0), 2000.0);
        assert_eq!(tick_step(26.0, 6.0), 5.0);
        assert_eq!(tick_step(0.9, 6.0), 0.2);
    }

    #[test]
    fn renders_a_png_with_the_series_colours() {
        let series = vec![
            Series { label: "1 instance".into(), points: vec![(1000.0, 1.0), (5000.0, 4.0), (8000.0, 25.0)] },
            Series { label: "2 instances".into(), points: vec![(1200.0, 1.2), (6000.0, 5.0)] },
        ];
        let bytes = render("p99 against throughput", &series, 20.0).expect("renders");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut pixels).expect("a frame");
        assert_eq!((info.width, info.height), (960, 600));
        let has = |colour: Rgb| pixels.chunks(3).any(|p| p == colour);
        assert!(has(COLOURS[0]) && has(COLOURS[1]) && has(LIMIT), "both lines and the limit are drawn");
    }
}
