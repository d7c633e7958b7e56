namespace Mail.Frontends.Http.Errors;

/// <summary>Shorthands for problem+json results.</summary>
public static class Problems
{
    /// <summary>400 with a reason.</summary>
    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    /// <summary>401 with a reason.</summary>
    public static IResult Unauthorized(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>403 with a reason.</summary>
    public static IResult Forbidden(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>404 with a reason.</summary>
    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>409: the resource is not in a state that allows the request.</summary>
    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>413 with a reason.</summary>
    public static IResult TooLarge(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Message too large");
}
