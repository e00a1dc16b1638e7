//! The arithmetic of `arraycontsel` (`array_selfuncs.c`) once the
//! constant's elements have been sorted, deduplicated and matched against
//! the column's most common elements: `@>` and `&&` in `double`, `<@`
//! with the histogram of distinct element counts in `float`, each in
//! PostgreSQL's order of operations (the figures print to the cent, so a
//! rounding difference in the last bit can show).
//!
//! The caller hands over, for each distinct element of the constant in
//! the element type's sort order, the index of the equal most common
//! element, if any.

/// `DEFAULT_CONTAIN_SEL`, the default for `@>` and `<@`.
pub(super) const DEFAULT_CONTAIN_SEL: f64 = 0.005;

/// `EFFORT`: the bound on the work of the `<@` estimate, in multiples
/// of the number of most common elements.
const EFFORT: usize = 100;

/// The `MCELEM` and `DECHIST` statistics slots of an array column.
#[derive(Debug, Clone, Copy)]
pub(super) struct ElementStats<'s> {
    /// Number of most common elements (`nmcelem`).
    pub(super) count: usize,
    /// `most_common_elem_freqs` (`numbers`), normally `count + 3` long.
    pub(super) freqs: &'s [f32],
    /// `elem_count_histogram`, the average count last (`hist`); empty
    /// when the caller may not use it.
    pub(super) hist: &'s [f32],
}

/// `min(DEFAULT_CONTAIN_SEL, minfreq / 2)`: the frequency assumed for an
/// element that is not among the most common ones (`minfreq` is a
/// `float4` and is halved in `float4`).
fn rare_element_selec(minfreq: f32) -> f64 {
    f64::min(DEFAULT_CONTAIN_SEL, f64::from(minfreq / 2.0))
}

/// `mcelem_array_contain_overlap_selec`: `column @> const` (`contains`)
/// or `column && const`, for the distinct constant elements matched as
/// `matches` says; `stats` is `None` without an `MCELEM` slot.
pub(super) fn contain_overlap_selec(
    stats: Option<ElementStats<'_>>,
    matches: &[Option<usize>],
    contains: bool,
) -> f64 {
    // The numbers are only believed with their three summary cells.
    let numbers = stats
        .filter(|s| s.freqs.len() == s.count + 3)
        .map(|s| s.freqs);
    let minfreq = match numbers.and_then(|n| stats.and_then(|s| n.get(s.count))) {
        Some(lowest) => *lowest,
        None => 2.0 * DEFAULT_CONTAIN_SEL as f32,
    };
    let mut selec = if contains { 1.0 } else { 0.0 };
    for matched in matches {
        let elem_selec = match (matched, numbers) {
            (Some(index), Some(numbers)) => match numbers.get(*index) {
                Some(freq) => f64::from(*freq),
                None => rare_element_selec(minfreq),
            },
            _ => rare_element_selec(minfreq),
        };
        if contains {
            selec *= elem_selec;
        } else {
            selec = selec + elem_selec - selec * elem_selec;
        }
        selec = super::clamp_probability(selec);
    }
    selec
}

/// `mcelem_array_contained_selec`: `column <@ const`, for the distinct
/// constant elements matched as `matches` says, in `float` arithmetic.
///
/// When the constant has more distinct elements than the column has
/// most common elements, PostgreSQL's `calc_distr` leaves the cells of
/// the larger counts unwritten (whatever memory held) and the sum reads
/// them; its figure is still determined when the count histogram gives
/// those counts probability 0 (0 times a positive cell adds 0, a NaN
/// cell is skipped), and `None` otherwise: it cannot be reproduced.
pub(super) fn contained_selec(
    stats: Option<ElementStats<'_>>,
    matches: &[Option<usize>],
) -> Option<f64> {
    let Some(stats) = stats else {
        return Some(DEFAULT_CONTAIN_SEL);
    };
    let nmcelem = stats.count;
    let numbers = stats.freqs;
    if numbers.len() != nmcelem + 3 {
        return Some(DEFAULT_CONTAIN_SEL);
    }
    let nhist = stats.hist.len();
    if nhist < 3 {
        return Some(DEFAULT_CONTAIN_SEL);
    }
    let at = |i: usize| numbers.get(i).copied().unwrap_or(0.0);
    let minfreq = at(nmcelem);
    let nullelem_freq = at(nmcelem + 2);
    let avg_count = stats.hist.get(nhist - 1).copied().unwrap_or(0.0);

    // Every most common element is taken out of `rest` in order; those
    // absent from the constant also scale `mult` by their absence.
    let mut rest = avg_count;
    let mut mult = 1.0_f32;
    for index in 0..nmcelem {
        let freq = at(index);
        if !matches.contains(&Some(index)) {
            mult *= 1.0 - freq;
        }
        rest -= freq;
    }
    let mut elem_selec: Vec<f32> = matches
        .iter()
        .map(|matched| match matched {
            Some(index) => at(*index),
            // A double minimum stored into a float cell.
            None => rare_element_selec(minfreq) as f32,
        })
        .collect();
    // exp() of the negated float, multiplied in double, stored as float.
    mult = (f64::from(mult) * f64::from(-rest).exp()) as f32;

    let mut unique = elem_selec.len();
    if nmcelem + unique > 0 && unique > EFFORT * nmcelem / (nmcelem + unique) {
        let b = nmcelem as f64;
        let n = ((b * b + (4 * EFFORT) as f64 * b).sqrt() - b) / 2.0;
        elem_selec.sort_by(|x, y| y.total_cmp(x));
        unique = n as usize;
        elem_selec.truncate(unique);
    }

    let dist = calc_distr(&elem_selec, unique, 0.0);
    let mcelem_dist = calc_distr(numbers.get(..nmcelem).unwrap_or_default(), unique, rest);
    let hist_part = calc_hist(stats.hist.get(..nhist - 1).unwrap_or_default(), unique);

    let mut selec = 0.0_f32;
    for i in 0..=unique {
        if i > nmcelem {
            // PostgreSQL's cell is unset here: only a zero weight makes
            // its term certain (zero).
            if hist_part.get(i).copied().unwrap_or(0.0) != 0.0 {
                return None;
            }
            continue;
        }
        let m = mcelem_dist.get(i).copied().unwrap_or(0.0);
        if m > 0.0 {
            let h = hist_part.get(i).copied().unwrap_or(0.0);
            let d = dist.get(i).copied().unwrap_or(0.0);
            selec += h * mult * d / m;
        }
    }
    selec *= 1.0 - nullelem_freq;
    Some(f64::from(clamp_probability_f32(selec)))
}

/// `CLAMP_PROBABILITY` applied to a `float`.
fn clamp_probability_f32(p: f32) -> f32 {
    p.clamp(0.0, 1.0)
}

/// `calc_hist`: the probabilities of distinct element counts `0..=n`
/// read from the histogram `hist` (without its trailing average).
fn calc_hist(hist: &[f32], n: usize) -> Vec<f32> {
    let nhist = hist.len();
    let mut hist_part = vec![0.0_f32; n + 1];
    let frac = 1.0_f32 / nhist.saturating_sub(1) as f32;
    let mut i = 0usize;
    let mut prev_interval = 0.0_f32;
    for (k, part) in hist_part.iter_mut().enumerate() {
        let kf = k as f32;
        let mut count = 0usize;
        while let Some(bound) = hist.get(i) {
            if *bound > kf {
                break;
            }
            count += 1;
            i += 1;
        }
        if count > 0 {
            let next_interval = match (hist.get(i), i.checked_sub(1).and_then(|p| hist.get(p))) {
                (Some(next), Some(prev)) => next - prev,
                _ => 0.0,
            };
            let mut val = (count - 1) as f32;
            if next_interval > 0.0 {
                val += 0.5 / next_interval;
            }
            if prev_interval > 0.0 {
                val += 0.5 / prev_interval;
            }
            *part = frac * val;
            prev_interval = next_interval;
        } else if prev_interval > 0.0 {
            *part = frac / prev_interval;
        } else {
            *part = 0.0;
        }
    }
    hist_part
}

/// `calc_distr`: the probabilities that exactly `0..=m` of independent
/// events with probabilities `p` occur, convolved with a Poisson
/// distribution of mean `rest` for the rare events when `rest` exceeds
/// `DEFAULT_CONTAIN_SEL`.
fn calc_distr(p: &[f32], m: usize, rest: f32) -> Vec<f32> {
    let mut row = vec![0.0_f32; m + 1];
    let mut prev_row = vec![0.0_f32; m + 1];
    if let Some(first) = row.first_mut() {
        *first = 1.0;
    }
    for (i, t) in p.iter().enumerate().map(|(i, t)| (i + 1, *t)) {
        std::mem::swap(&mut row, &mut prev_row);
        for j in 0..=i.min(m) {
            let mut val = 0.0_f32;
            if j < i {
                val += prev_row.get(j).copied().unwrap_or(0.0) * (1.0 - t);
            }
            if j > 0 {
                val += prev_row.get(j - 1).copied().unwrap_or(0.0) * t;
            }
            if let Some(cell) = row.get_mut(j) {
                *cell = val;
            }
        }
    }
    if f64::from(rest) > DEFAULT_CONTAIN_SEL {
        std::mem::swap(&mut row, &mut prev_row);
        row.iter_mut().for_each(|cell| *cell = 0.0);
        let mut t = f64::from(-rest).exp() as f32;
        for i in 0..=m {
            for j in 0..=(m - i) {
                let add = prev_row.get(j).copied().unwrap_or(0.0) * t;
                if let Some(cell) = row.get_mut(j + i) {
                    *cell += add;
                }
            }
            t *= rest / (i + 1) as f32;
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_multiplies_and_overlap_adds() {
        let freqs = [0.5_f32, 0.25, 0.25, 0.5, 0.0];
        let stats = ElementStats {
            count: 2,
            freqs: &freqs,
            hist: &[],
        };
        assert_eq!(
            contain_overlap_selec(Some(stats), &[Some(0), Some(1)], true),
            0.125
        );
        assert_eq!(
            contain_overlap_selec(Some(stats), &[Some(0), Some(1)], false),
            0.625
        );
        // An element that is not common: min(0.005, 0.25 / 2).
        assert_eq!(contain_overlap_selec(Some(stats), &[None], true), 0.005);
        // An empty constant: everything contains it, nothing overlaps it.
        assert_eq!(contain_overlap_selec(Some(stats), &[], true), 1.0);
        assert_eq!(contain_overlap_selec(Some(stats), &[], false), 0.0);
    }

    #[test]
    fn contained_needs_the_count_histogram() {
        let freqs = [0.5_f32, 0.25, 0.25, 0.5, 0.0];
        let stats = ElementStats {
            count: 2,
            freqs: &freqs,
            hist: &[1.0, 2.0],
        };
        assert_eq!(
            contained_selec(Some(stats), &[Some(0)]),
            Some(DEFAULT_CONTAIN_SEL)
        );
        assert_eq!(contained_selec(None, &[Some(0)]), Some(DEFAULT_CONTAIN_SEL));
        // More distinct constant elements than most common ones: certain
        // only when no array has that many distinct elements.
        let counted = ElementStats {
            hist: &[1.0, 2.0, 2.0, 1.75],
            ..stats
        };
        assert!(contained_selec(Some(counted), &[Some(0), Some(1), None]).is_some());
        let one_common = [0.5_f32, 0.5, 0.5, 0.0];
        let longer = ElementStats {
            count: 1,
            freqs: &one_common,
            hist: &[1.0, 2.0, 3.0, 2.0],
        };
        assert_eq!(contained_selec(Some(longer), &[Some(0), None]), None);
    }

    #[test]
    fn distribution_of_independent_events() {
        let row = calc_distr(&[0.5, 0.5], 2, 0.0);
        assert_eq!(row, vec![0.25, 0.5, 0.25]);
        // Truncated to m = 1: only counts 0 and 1.
        assert_eq!(calc_distr(&[0.5, 0.5], 1, 0.0), vec![0.25, 0.5]);
    }

    #[test]
    fn histogram_of_counts() {
        // Bounds 1, 1, 2, 3: a quarter... per box, halves at the ends.
        let part = calc_hist(&[1.0, 1.0, 2.0, 3.0], 3);
        let frac = 1.0_f32 / 3.0;
        assert_eq!(part.first().copied(), Some(0.0));
        assert_eq!(part.get(1).copied(), Some(frac * (1.0 + 0.5)));
        assert_eq!(part.get(2).copied(), Some(frac * (0.5 + 0.5)));
        assert_eq!(part.get(3).copied(), Some(frac * 0.5));
    }
}
