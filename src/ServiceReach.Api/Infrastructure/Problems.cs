using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceReach.Api.Infrastructure;

/// <summary>RFC 9457 problem details that name the offending field, and a JSON body reader that reports where the JSON is wrong.</summary>
public static class Problems
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 32,
    };

    /// <summary>400 with <c>errors: { field: [message] }</c>.</summary>
    public static IResult Field(string field, string message, int status = StatusCodes.Status400BadRequest)
        => Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = status == 404 ? "Not found" : "Invalid request",
            Detail = $"{field}: {message}",
            Type = $"https://httpstatuses.io/{status}",
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
        });

    public static IResult NotFound(string what) => Results.Problem(statusCode: 404, title: "Not found", detail: what);

    /// <summary>Reads a JSON body as <typeparamref name="T"/>; on failure returns a problem naming the JSON path.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadBody<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentType is null || !request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            return (null, Field("body", "send the request body as application/json.", StatusCodes.Status415UnsupportedMediaType));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, ct);
            return value is null ? (null, Field("body", "the JSON body is empty or null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            var msg = ex.Message.Split(" Path:", 2)[0];
            return (null, Field(path, $"malformed or unexpected JSON ({msg})"));
        }
    }
}
