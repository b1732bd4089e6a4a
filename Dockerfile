# Build and run the ServiceReach command line. Used by docker-compose.yml.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ServiceReach.Cli -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /out /app/bin
COPY geodata /app/geodata
ENTRYPOINT ["dotnet", "/app/bin/servicereach.dll"]
CMD ["demo", "--data", "/app/geodata/demo", "--out", "/app/out/demo"]
