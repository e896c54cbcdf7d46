/// Kendall's rank correlation τ-b between two scorings of the same items: 1 when they order every
/// pair alike, −1 when opposite, ties accounted for (as SciPy's `kendalltau` computes it).
///
/// Knight's algorithm: sort by the first scoring, then count the pairs the second puts the other
/// way with a merge sort, O(n log n), so that it runs over 20,000 packages after every question.
public func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "two scorings of the same items")
    let n = x.count
    guard n >= 2 else { return 1 }
    var order = Array(0..<n)
    order.sort { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
    let pairs = n * (n - 1) / 2
    let tiedX = tiedPairs(order.map { x[$0] })
    // Ties in both: runs equal in x and in y, already sorted together.
    var tiedBoth = 0
    var run = 1
    for k in 1..<n {
        if x[order[k]] == x[order[k - 1]] && y[order[k]] == y[order[k - 1]] {
            run += 1
        } else {
            tiedBoth += run * (run - 1) / 2
            run = 1
        }
    }
    tiedBoth += run * (run - 1) / 2
    var values = order.map { y[$0] }
    let swaps = mergeCountingSwaps(&values)
    let tiedY = tiedPairs(values)
    let concordantMinusDiscordant = pairs - tiedX - tiedY + tiedBoth - 2 * swaps
    let denominator = (Double(pairs - tiedX) * Double(pairs - tiedY)).squareRoot()
    return denominator > 0 ? Double(concordantMinusDiscordant) / denominator : 0
}

/// How many pairs of a sorted list are equal.
private func tiedPairs(_ sorted: [Double]) -> Int {
    var total = 0
    var run = 1
    for k in 1..<max(1, sorted.count) {
        if sorted[k] == sorted[k - 1] {
            run += 1
        } else {
            total += run * (run - 1) / 2
            run = 1
        }
    }
    return total + run * (run - 1) / 2
}

/// Sorts `values` ascending and returns how many pairs were out of order (strictly).
private func mergeCountingSwaps(_ values: inout [Double]) -> Int {
    var buffer = values
    var swaps = 0
    var width = 1
    let n = values.count
    while width < n {
        var start = 0
        while start < n {
            let middle = min(start + width, n)
            let end = min(start + 2 * width, n)
            var (i, j, k) = (start, middle, start)
            while i < middle && j < end {
                if values[j] < values[i] {
                    buffer[k] = values[j]
                    swaps += middle - i
                    j += 1
                } else {
                    buffer[k] = values[i]
                    i += 1
                }
                k += 1
            }
            while i < middle {
                buffer[k] = values[i]
                i += 1
                k += 1
            }
            while j < end {
                buffer[k] = values[j]
                j += 1
                k += 1
            }
            start += 2 * width
        }
        swap(&values, &buffer)
        width *= 2
    }
    return swaps
}
