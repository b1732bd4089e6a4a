using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ServiceReach.Api.Services;

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A long analysis running in the background: poll <c>/api/jobs/{id}</c> until it has a result URL.</summary>
public sealed class Job
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public JobState State { get; set; } = JobState.Queued;
    public double Progress { get; set; }
    public string? Message { get; set; }
    public string? ResultUrl { get; set; }
    public long? RunId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The work: reports progress 0..1, returns the stored run id. It must store its results in one transaction.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public required Func<Job, CancellationToken, Task<long>> Work { get; init; }
}

/// <summary>
/// In-memory job registry with one worker (the machine has few cores; analyses share the CPU-bound street engine).
/// Jobs write their results in one transaction at the end, so a job that fails leaves nothing behind.
/// </summary>
public sealed class JobRunner(ILogger<JobRunner> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Job> _jobs = new();
    private readonly Channel<Job> _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.Wait });

    public Job? Get(Guid id) => _jobs.GetValueOrDefault(id);

    public IReadOnlyList<Job> All => [.. _jobs.Values.OrderByDescending(j => j.CreatedAt)];

    /// <summary>Queues a job; false when the queue is full (the caller answers 503).</summary>
    public bool TryEnqueue(string kind, Func<Job, CancellationToken, Task<long>> work, out Job job)
    {
        job = new Job { Id = Guid.NewGuid(), Kind = kind, Work = work };
        if (!_queue.Writer.TryWrite(job)) return false;
        _jobs[job.Id] = job;
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunQueue(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping; queued jobs are dropped (they stored nothing).
        }
    }

    private async Task RunQueue(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            job.State = JobState.Running;
            job.Message = "running";
            try
            {
                var runId = await job.Work(job, stoppingToken);
                job.RunId = runId;
                job.ResultUrl = $"/api/runs/{runId}";
                job.Progress = 1;
                job.Message = "done";
                job.State = JobState.Succeeded;
                log.LogInformation("Job {JobId} ({Kind}) succeeded: run {RunId}", job.Id, job.Kind, runId);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                job.State = JobState.Failed;
                job.Error = "The service stopped before the job finished; nothing was stored.";
                break;
            }
            catch (Exception ex)
            {
                job.State = JobState.Failed;
                job.Error = $"{ex.GetType().Name}: {ex.Message}";
                job.Message = "failed; nothing was stored";
                log.LogError(ex, "Job {JobId} ({Kind}) failed", job.Id, job.Kind);
            }
            finally
            {
                job.FinishedAt = DateTimeOffset.UtcNow;
            }
        }
    }
}
