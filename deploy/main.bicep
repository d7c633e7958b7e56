// Azure deployment of the mail cluster (on paper: not deployed from this repository's CI).
// az deployment group create -g <rg> -f deploy/main.bicep -p image=<registry>/mail:<tag> postgresAdminPassword=<secret>
//
// - Azure Container Apps: `silo` (silos with every frontend; TCP ingress for SMTP on 25, HTTP ingress for the API) and
//   an optional `frontend` app (MAIL_ROLE=frontend) to scale the protocols apart from the grains.
// - Azure Database for PostgreSQL Flexible Server: mail rows, change log, queues and Orleans state (ADO.NET providers).
//   Orleans membership stays there by default; clusteringKind=azuretable moves it to Table storage.
// - Storage account: blob container for message content (MAIL_BLOB_STORE=azure) and, when chosen, the membership table.
// - Event Hubs: the mailbox event stream (Orleans streaming provider).
// - Key Vault: the master key that wraps the tenant keys (MAIL_MASTER_KEY_PROVIDER=keyvault) and the TLS certificate.
// - A user-assigned identity reads Key Vault and writes blobs; no connection secret for them lives in the app.
targetScope = 'resourceGroup'

@description('Container image of deploy/Dockerfile.')
param image string
@description('Name prefix of every resource.')
param name string = 'mail'
param location string = resourceGroup().location
@secure()
param postgresAdminPassword string
@description('Silo replicas: about one per 50,000 concurrently active mailboxes (README, sizing).')
@minValue(1)
param siloReplicas int = 3
@description('Frontend-only replicas (0: the silos serve every protocol themselves).')
param frontendReplicas int = 0
@allowed(['adonet', 'azuretable'])
param clusteringKind string = 'adonet'
@description('Key Vault secret holding the PKCS#12 TLS certificate (base64) for SMTP/IMAP/POP3/HTTPS.')
param tlsCertificateSecret string = 'mail-tls'

var postgresHost = '${name}-pg.postgres.database.azure.com'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${name}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-12-01-preview' = {
  name: '${name}-pg'
  location: location
  sku: { name: 'Standard_D4ds_v5', tier: 'GeneralPurpose' }
  properties: {
    version: '15'
    administratorLogin: 'mail'
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 512, autoGrow: 'Enabled' }
    backup: { backupRetentionDays: 35, geoRedundantBackup: 'Enabled' }
    highAvailability: { mode: 'ZoneRedundant' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-12-01-preview' = {
  parent: postgres
  name: 'mail'
}

resource planCacheMode 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2023-12-01-preview' = {
  parent: postgres
  name: 'plan_cache_mode'
  properties: { value: 'force_generic_plan', source: 'user-override' }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: toLower('${name}${uniqueString(resourceGroup().id)}')
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, supportsHttpsTrafficOnly: true }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 14 }
    restorePolicy: { enabled: true, days: 7 }
    changeFeed: { enabled: true }
  }
}

resource messages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'messages'
}

resource blobWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, 'blob-data-contributor')
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    // Storage Blob Data Contributor; Storage Table Data Contributor is needed too with clusteringKind=azuretable.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

resource tableWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (clusteringKind == 'azuretable') {
  scope: storage
  name: guid(storage.id, identity.id, 'table-data-contributor')
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: '${name}-events'
  location: location
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
}

resource mailboxEvents 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: eventHubs
  name: 'mailbox-events'
  properties: { partitionCount: 8, messageRetentionInDays: 1 }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${name}-kv-${uniqueString(resourceGroup().id)}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, 'secrets-user')
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    // Key Vault Secrets User: the master key secret (created once by the operator, never by this template) and the certificate.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
    workloadProfiles: [ { name: 'Consumption', workloadProfileType: 'Consumption' } ]
  }
}

var commonEnv = [
  { name: 'MAIL_DB', secretRef: 'mail-db' }
  { name: 'MAIL_BLOB_STORE', value: 'azure' }
  { name: 'MAIL_AZURE_BLOB', value: storage.properties.primaryEndpoints.blob }
  { name: 'MAIL_AZURE_CONTAINER', value: messages.name }
  { name: 'MAIL_MASTER_KEY_PROVIDER', value: 'keyvault' }
  { name: 'MAIL_KEY_VAULT_URI', value: vault.properties.vaultUri }
  { name: 'MAIL_KEY_VAULT_SECRET', value: 'mail-master-key' }
  { name: 'MAIL_TLS_CERT', value: '/secrets/tls.pfx' }
  { name: 'MAIL_CLUSTER_TLS', value: '1' }
  { name: 'MAIL_CLUSTERING', value: clusteringKind }
  { name: 'Mail__Cluster__AzureTableConnection', value: clusteringKind == 'azuretable' ? storage.properties.primaryEndpoints.table : '' }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'MAIL_HTTP_KNOWN_PROXIES', value: '100.64.0.0/10' }
]

var secrets = [
  { name: 'mail-db', value: 'Host=${postgresHost};Username=mail;Password=${postgresAdminPassword};Database=mail;SSL Mode=Require' }
  { name: 'tls', keyVaultUrl: '${vault.properties.vaultUri}secrets/${tlsCertificateSecret}', identity: identity.id }
]

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${name}-silo'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    environmentId: environment.id
    configuration: {
      secrets: secrets
      // SMTP is TCP: port 25 outside, 2525 inside; the other protocols ride additional port mappings.
      ingress: {
        external: true
        transport: 'tcp'
        targetPort: 2525
        exposedPort: 25
        additionalPortMappings: [
          { external: true, targetPort: 2587, exposedPort: 587 }
          { external: true, targetPort: 2465, exposedPort: 465 }
          { external: true, targetPort: 2993, exposedPort: 993 }
          { external: true, targetPort: 2995, exposedPort: 995 }
          { external: true, targetPort: 8443, exposedPort: 443 }
        ]
      }
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: image
          resources: { cpu: json('4.0'), memory: '8Gi' }
          env: concat(commonEnv, [
            // Container Apps give each replica its own IP; the silo advertises it and requires cluster TLS off loopback.
            { name: 'MAIL_CLUSTER_ADDRESS', value: '0.0.0.0' }
            { name: 'MAIL_ROLE', value: 'all' }
          ])
          volumeMounts: [ { volumeName: 'secrets', mountPath: '/secrets' } ]
          probes: [
            { type: 'Readiness', httpGet: { path: '/health', port: 8080 }, periodSeconds: 5 }
            { type: 'Liveness', tcpSocket: { port: 8080 }, periodSeconds: 10 }
          ]
        }
      ]
      volumes: [ { name: 'secrets', storageType: 'Secret', secrets: [ { secretRef: 'tls', path: 'tls.pfx' } ] } ]
      scale: { minReplicas: siloReplicas, maxReplicas: siloReplicas * 3 }
    }
  }
}

resource frontend 'Microsoft.App/containerApps@2024-03-01' = if (frontendReplicas > 0) {
  name: '${name}-frontend'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    environmentId: environment.id
    configuration: {
      secrets: secrets
      ingress: { external: false, transport: 'tcp', targetPort: 2525 }
    }
    template: {
      containers: [
        {
          name: 'frontend'
          image: image
          resources: { cpu: json('2.0'), memory: '4Gi' }
          env: concat(commonEnv, [ { name: 'MAIL_ROLE', value: 'frontend' } ])
          volumeMounts: [ { volumeName: 'secrets', mountPath: '/secrets' } ]
        }
      ]
      volumes: [ { name: 'secrets', storageType: 'Secret', secrets: [ { secretRef: 'tls', path: 'tls.pfx' } ] } ]
      scale: { minReplicas: frontendReplicas, maxReplicas: frontendReplicas * 4 }
    }
  }
}

output smtpEndpoint string = silo.properties.configuration.ingress.fqdn
output postgres string = postgresHost
output vaultUri string = vault.properties.vaultUri
