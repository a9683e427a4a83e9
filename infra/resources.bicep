// Everything in the resource group. The Function App reaches storage, Key Vault and Application
// Insights with its user-assigned identity only: no keys, no connection strings.

param environmentName string
param location string
@description('Tags for every resource: azd finds the environment by azd-env-name.')
param tags { *: string }
param allowedTenantIds string
param apiAudiences string
@secure()
param notificationSigningKeyBase64 string
param enumCasing string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

// The app's storage names (app settings CALLS_TABLE, MEDIA_CLOCK_QUEUE, NOTIFICATIONS_QUEUE).
var tableName = 'calls'
var mediaClockQueue = 'media-clock'
var notificationsQueue = 'notifications'
// Queue triggers move failing messages to "<queue>-poison"; created here since the identity has data roles only.
var queueNames = [
  mediaClockQueue
  '${mediaClockQueue}-poison'
  notificationsQueue
  '${notificationsQueue}-poison'
  // The slow delivery lane (recipients in trouble): the notifications queue's name + '-slow'.
  '${notificationsQueue}-slow'
  '${notificationsQueue}-slow-poison'
]
var deploymentContainer = 'app-package'
// azd finds the app to deploy "api" to by this tag.
var appTags = union(tags, {
  'azd-service-name': 'api'
})

// Built-in role definitions the identity gets, and why.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Functions host: deployment package, host state
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // media-clock and notifications queues
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // the calls table
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // the notification signing key
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Application Insights with Entra auth
}
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${token}'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource deploymentPackages 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: deploymentContainer
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource callsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = {
  parent: tableService
  name: tableName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-09-01' = [
  for name in queueNames: {
    parent: queueService
    name: name
  }
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    scope: storage
    name: guid(storage.id, identity.id, roleId)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: 'kv-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'notification-signing-key'
  properties: {
    value: base64ToString(notificationSigningKeyBase64)
    contentType: 'application/jwk+json'
  }
}

resource vaultRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource insightsRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: 'func-${token}'
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 100
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  dependsOn: [
    storageRoleAssignments
    vaultRoleAssignment
  ]
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // The host's storage, by identity.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    // The app's own storage connection (CallsStorage), by identity.
    CallsStorage__accountName: storage.name
    CallsStorage__credential: 'managedidentity'
    CallsStorage__clientId: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    SERVICE_MODE: 'deployed'
    CALLS_TABLE: tableName
    MEDIA_CLOCK_QUEUE: mediaClockQueue
    NOTIFICATIONS_QUEUE: notificationsQueue
    SWEEP_SCHEDULE: '0 * * * * *'
    // The host refuses a larger body before reading it (413), as the app would after (src/graph/body.ts).
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '262144'
    GRAPH_ENUM_CASING: enumCasing
    ENTRA_ALLOWED_TENANTS: allowedTenantIds
    ENTRA_AUDIENCES: apiAudiences
    NOTIFICATION_SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${signingKey.properties.secretUri})'
  }
}

output functionAppName string = functionApp.name
output serviceUri string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
