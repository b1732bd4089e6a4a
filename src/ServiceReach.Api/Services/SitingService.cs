using System.Runtime.CompilerServices;
using ServiceReach.Analysis;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Domain;
using ServiceReach.Siting;

namespace ServiceReach.Api.Services;

/// <summary>
/// Dorpspunt siting problems over the current analysis: built once per (analysis, mode) and kept until the analysis is
/// replaced (the travel-time matrix is the expensive part). Candidates: kern centres and OSM community buildings.
/// </summary>
public sealed class SitingService(ApiSettings settings, StreetService streets)
{
    private readonly ConditionalWeakTable<AnalysisResult, Dictionary<Mode, SitingProblem>> _problems = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<SitingProblem> ProblemAsync(AnalysisResult result, Mode mode, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var byMode = _problems.GetOrCreateValue(result);
            if (byMode.TryGetValue(mode, out var cached)) return cached;
            var problem = await Task.Run(() =>
            {
                var candidates = SitingSetup.Candidates(result.Input.Kernen, settings.StreetsOsm);
                return SitingProblem.Build(result, streets.Network, candidates, new SitingOptions { Mode = mode });
            }, ct);
            byMode[mode] = problem;
            return problem;
        }
        finally
        {
            _gate.Release();
        }
    }
}
