// Graph calls media service on Azure: a resource group holding a Flex Consumption Function App,
// its storage (table + queues), a user-assigned identity, Key Vault and monitoring.
targetScope = 'subscription'

@minLength(1)
@maxLength(32)
@description('Name of the azd environment; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (one that offers Flex Consumption).')
param location string

@description('Entra ID tenant ids whose apps may call the service, comma-separated (ENTRA_ALLOWED_TENANTS).')
param allowedTenantIds string

@description('Accepted access-token audiences: the App ID URI and/or client id of the service API registration, comma-separated (ENTRA_AUDIENCES).')
param apiAudiences string

@secure()
@description('Private JWK (JSON) that signs notification tokens, base64-encoded (azd writes parameters unescaped into JSON); kept in Key Vault as NOTIFICATION_SIGNING_KEY.')
param notificationSigningKeyBase64 string

@allowed([
  'docs'
  'schema'
])
@description('operationStatus casing in responses and notifications (GRAPH_ENUM_CASING).')
param enumCasing string = 'docs'

var tags = {
  'azd-env-name': environmentName
}

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    allowedTenantIds: allowedTenantIds
    apiAudiences: apiAudiences
    notificationSigningKeyBase64: notificationSigningKeyBase64
    enumCasing: enumCasing
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output SERVICE_API_URI string = resources.outputs.serviceUri
output STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
