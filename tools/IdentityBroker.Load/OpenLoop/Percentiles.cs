namespace IdentityBroker.Load.OpenLoop;

/// <summary>Exact percentiles of a set of latencies: sorted once, nearest rank (the smallest value with at least p % at or below it).</summary>
public sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    /// <summary>The <paramref name="percent"/>-th percentile, or NaN for no values.</summary>
    public double At(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank, 1, _sorted.Length) - 1];
    }

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];
}
