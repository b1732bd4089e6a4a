using NetTopologySuite.Geometries;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Domain;

namespace ServiceReach.Api.Services;

/// <summary>
/// The current access analysis of the stored data inside the street extract: computed on first use and after every
/// successful analysis job (data edits mark it stale). Reads (reach, gaps, advice, layers) come from here.
/// </summary>
public sealed class AnalysisService(ApiSettings settings, StreetService streets, BusService bus, ILogger<AnalysisService> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile AnalysisResult? _current;
    private volatile bool _stale;

    public ServiceCatalogue Catalogue => ServiceCatalogue.Default;

    /// <summary>Marks the cached analysis stale after an edit; the next read recomputes it.</summary>
    public void MarkStale() => _stale = true;

    public async Task<AnalysisResult> CurrentAsync(CancellationToken ct)
    {
        var r = _current;
        if (r is not null && !_stale) return r;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is not null && !_stale) return _current;
            // Cleared before computing so an edit made meanwhile marks the new result stale again; restored if this fails.
            _stale = false;
            try
            {
                var fresh = await ComputeAsync(null, ct);
                _current = fresh;
                return fresh;
            }
            catch
            {
                _stale = true;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces the cached analysis (after a job stored it).</summary>
    public void Publish(AnalysisResult result)
    {
        _current = result;
        _stale = false;
    }

    public AccessAnalysis Engine(int? windowStart = null, int? windowEnd = null)
    {
        var (ws, we) = bus.Available ? bus.DefaultWindow : (0, 0);
        return new AccessAnalysis(streets.Network, bus.For(windowStart ?? ws, windowEnd ?? we));
    }

    public async Task<AnalysisResult> ComputeAsync(IProgress<double>? progress, CancellationToken ct)
    {
        var b = streets.Bounds;
        var box = new Envelope(b.MinLon, b.MaxLon, b.MinLat, b.MaxLat);
        progress?.Report(0.05);
        var input = await StoredAnalysis.LoadAsync(settings.Database, box, Catalogue, settings.RegionName, ct);
        progress?.Report(0.2);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = await Task.Run(() => Engine().Run(input), ct);
        progress?.Report(0.9);
        log.LogInformation("Analysis of {Kernen} kernen, {Services} service points computed in {Ms} ms", input.Kernen.Count, input.Services.Count, sw.ElapsedMilliseconds);
        return result;
    }
}
