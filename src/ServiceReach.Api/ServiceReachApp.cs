using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using Scalar.AspNetCore;
using ServiceReach.Api.Endpoints;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Api.Services;
using ServiceReach.Storage;

namespace ServiceReach.Api;

/// <summary>Builds the ServiceReach web service: settings, logging, access control, problem details, endpoints, static map.</summary>
public static class ServiceReachApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The configured application (not started). <paramref name="configure"/> lets tests and the benchmark add settings.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        configure?.Invoke(builder);
        // Loopback only unless told otherwise (ASPNETCORE_URLS, --urls or the Urls setting).
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
            builder.WebHost.UseUrls(DefaultUrl);

        if (builder.Configuration.GetValue("ServiceReach:JsonLogs", true))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }

        var s = builder.Services;
        s.AddSingleton(sp => ApiSettings.From(sp.GetRequiredService<IConfiguration>()));
        s.AddSingleton(sp => new ApiKeys(sp.GetRequiredService<ApiSettings>().ApiKeys));
        s.AddSingleton<StreetService>();
        s.AddSingleton<BusService>();
        s.AddSingleton<AnalysisService>();
        s.AddSingleton<DbLayers>();
        s.AddSingleton<StreetLines>();
        s.AddSingleton<JobRunner>();
        s.AddSingleton<SitingService>();
        s.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        s.AddProblemDetails();
        s.AddOpenApi();
        s.AddCors();
        s.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.WebHost.ConfigureKestrel((ctx, k) =>
        {
            k.Limits.MaxRequestBodySize = ctx.Configuration.GetValue<long?>("ServiceReach:MaxRequestBytes") ?? 1_000_000;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.AddServerHeader = false;
        });

        var app = builder.Build();
        var settings = app.Services.GetRequiredService<ApiSettings>();
        _ = app.Services.GetRequiredService<ApiKeys>(); // bad key entries fail at start, not at the first write
        _ = app.Services.GetRequiredService<StreetService>(); // the street network loads once, at start

        app.UseExceptionHandler(errors => errors.Run(async ctx =>
        {
            var ex = ctx.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title) = ex switch
            {
                BadHttpRequestException b => (b.StatusCode, "Bad request"),
                NpgsqlException or TimeoutException or System.Net.Sockets.SocketException => (StatusCodes.Status503ServiceUnavailable, "The database is not reachable"),
                InvalidOperationException { InnerException: NpgsqlException } => (StatusCodes.Status503ServiceUnavailable, "The database is not reachable"),
                _ => (StatusCodes.Status500InternalServerError, "Internal error"),
            };
            ctx.Response.StatusCode = status;
            await Results.Problem(statusCode: status, title: title,
                detail: status == 500 ? "An unexpected error occurred; see the service log." : ex?.Message).ExecuteAsync(ctx);
        }));
        app.UseStatusCodePages();
        app.Use(RequestLog(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ServiceReach.Api.Requests")));
        app.Use(SizeLimit(settings.MaxRequestBytes));
        if (settings.CorsOrigins.Count > 0)
        {
            app.UseCors(p =>
            {
                if (settings.CorsOrigins.Contains("*")) p.AllowAnyOrigin(); else p.WithOrigins([.. settings.CorsOrigins]);
                p.AllowAnyHeader().WithMethods("GET", "POST", "PUT", "DELETE").WithExposedHeaders("Content-Disposition", "Location");
            });
        }
        app.Use(AccessControl(settings, app.Services.GetRequiredService<ApiKeys>()));
        app.UseDefaultFiles();
        app.UseStaticFiles();

        app.MapOpenApi();
        app.MapScalarApiReference("/scalar", o => o.WithTitle("ServiceReach API"));
        HealthEndpoints.Map(app);
        DataEndpoints.Map(app);
        AnalysisEndpoints.Map(app);
        OgcEndpoints.Map(app);
        PlanningEndpoints.Map(app);
        return app;
    }

    private static readonly Action<ILogger, string, string?, int, double, Exception?> LogRequest =
        LoggerMessage.Define<string, string?, int, double>(LogLevel.Information, new EventId(1, "Request"), "{Method} {Path} → {Status} in {ElapsedMs:F1} ms");

    /// <summary>One structured line per request: method, path, status, milliseconds. The logger is made once, not per request.</summary>
    private static Func<HttpContext, Func<Task>, Task> RequestLog(ILogger log) => async (ctx, next) =>
    {
        var start = Stopwatch.GetTimestamp();
        await next();
        if (log.IsEnabled(LogLevel.Information))
            LogRequest(log, ctx.Request.Method, ctx.Request.Path.Value, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds, null);
    };

    private static Func<HttpContext, Func<Task>, Task> SizeLimit(long maxBytes) => async (ctx, next) =>
    {
        if (ctx.Request.ContentLength > maxBytes)
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Problems.Field("body", $"the request body is {ctx.Request.ContentLength} bytes; at most {maxBytes} are accepted.", 413).ExecuteAsync(ctx);
            return;
        }
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = maxBytes;
        await next();
    };

    /// <summary>Writes need a valid API key; reads too when ServiceReach:ReadOpen is false. Health, docs and the map stay open.</summary>
    private static Func<HttpContext, Func<Task>, Task> AccessControl(ApiSettings settings, ApiKeys keys) => async (ctx, next) =>
    {
        var path = ctx.Request.Path;
        var guarded = path.StartsWithSegments("/api") || path.StartsWithSegments("/ogc") || path.StartsWithSegments("/tiles");
        // POST /api/isochrone only computes (its body is too rich for a query string); it writes nothing, so it counts as a read.
        var isRead = HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) || HttpMethods.IsOptions(ctx.Request.Method)
                     || (HttpMethods.IsPost(ctx.Request.Method) && path.Equals("/api/isochrone", StringComparison.OrdinalIgnoreCase));
        if (guarded && (!isRead || !settings.ReadOpen))
        {
            var presented = ApiKeys.Presented(ctx.Request);
            var who = keys.Verify(presented);
            if (who is null)
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                ctx.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
                var msg = presented is null
                    ? (isRead ? "reading needs an API key here (ServiceReach:ReadOpen is false); send it in X-Api-Key." : "writes need an API key; send it in the X-Api-Key header.")
                    : "the API key is not valid.";
                await Problems.Field(ApiKeys.Header, msg, 401).ExecuteAsync(ctx);
                return;
            }
            ctx.Items["api-key"] = who;
        }
        await next();
    };
}
