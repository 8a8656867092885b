using Microsoft.AspNetCore.Authorization;

namespace OpenClaw.Channels.Hub.Security;

/// <summary>Authorization requirement met by a local request (<see cref="LocalRequest.IsLocal"/>).</summary>
internal sealed class LocalRequestRequirement : AuthorizationHandler<LocalRequestRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LocalRequestRequirement requirement)
    {
        // Endpoint routing's authorization middleware passes the HttpContext as the resource.
        if (context.Resource is HttpContext http && LocalRequest.IsLocal(http))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
